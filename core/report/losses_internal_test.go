package report

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestClampIsMaxMin: clamp gives what math.Max(lo, math.Min(x, hi)) gives
// (lo for a NaN x), bit for bit, for any x, signed zeros and infinities
// included, and the bounds it is for.
func TestClampIsMaxMin(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	odd := []float64{0, math.Copysign(0, -1), 1, -1, 5, math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, math.MaxFloat64}
	for range 200_000 {
		pick := func() float64 {
			if rng.IntN(3) == 0 {
				return odd[rng.IntN(len(odd))]
			}
			return float64(rng.IntN(7)) + []float64{0, 0.5, 1e-9}[rng.IntN(3)]
		}
		x, lo, hi := pick(), pick(), pick()
		if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi || math.Signbit(lo) && lo == 0 || math.Signbit(hi) && hi == 0 {
			continue // not bounds clamp is for
		}
		want := lo
		if !math.IsNaN(x) {
			want = math.Max(lo, math.Min(x, hi))
		}
		if got := clamp(x, lo, hi); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("clamp(%v, %v, %v) = %v, want %v", x, lo, hi, got, want)
		}
	}
}

// TestSortEventsAsTheComparisonDid checks the radix sort against the
// standard library's sort with the comparison the accounting used before:
// time, then starts before ends, then task; with many equal times, zero,
// and times that differ only in their low bits.
func TestSortEventsAsTheComparisonDid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 17, 5000} {
		var starts, ends []event
		for j := range n {
			at := float64(rng.IntN(20)) // many ties
			switch j % 3 {
			case 1:
				at = rng.Float64() * 1e6
			case 2:
				at = 1 + float64(rng.IntN(4))*1e-12
			}
			starts = append(starts, event{at, int32(j), false})
			ends = append(ends, event{at + float64(rng.IntN(3)), int32(j), true})
		}
		events := append(starts, ends...)
		want := slices.Clone(events)
		slices.SortFunc(want, func(x, y event) int {
			if x.at != y.at {
				return cmp.Compare(x.at, y.at)
			}
			if x.end != y.end {
				if x.end {
					return 1
				}
				return -1
			}
			return cmp.Compare(x.task, y.task)
		})
		assert.Equal(t, want, sortEvents(events), "%d tasks", n)
	}
}

// TestAccountIgnoresLaneNumbers: numbering the same lanes differently —
// far apart, negative, beyond the tasks — accounts the same.
func TestAccountIgnoresLaneNumbers(t *testing.T) {
	run := Run{WallMs: 10, Tasks: []Task{
		{ID: 0, Lane: 0, StartMs: 0, EndMs: 4}, {ID: 1, Lane: 1, StartMs: 1, EndMs: 3},
		{ID: 2, Lane: 0, StartMs: 5, EndMs: 9}, {ID: 3, Lane: 2, StartMs: 2, EndMs: 10},
	}}
	want := account(run, 2)
	for _, numbers := range [][3]int{{7, 1000, -5}, {-1, 2, 1}, {1 << 40, 0, 3}} {
		other := run
		other.Tasks = slices.Clone(run.Tasks)
		for i := range other.Tasks {
			other.Tasks[i].Lane = numbers[run.Tasks[i].Lane]
		}
		assert.Equal(t, want, account(other, 2), "lanes numbered %v", numbers)
	}
}
