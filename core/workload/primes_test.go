package workload_test

import (
	"context"
	"lanes/core/internal/exact"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

func countPrimes(t *testing.T, lo, hi uint64) uint64 {
	t.Helper()
	n, err := workload.CountPrimes(context.Background(), lo, hi)
	require.NoError(t, err)
	return n
}

func TestCountPrimesEverySmallSize(t *testing.T) {
	// Below n for every n up to 3000, against a running trial-division count.
	var want uint64
	for n := uint64(0); n <= 3000; n++ {
		require.Equal(t, want, countPrimes(t, 0, n), "below %d", n)
		if exact.IsPrime(n) {
			want++
		}
	}
}

func TestCountPrimesKnown(t *testing.T) {
	cases := []struct {
		lo, hi, want uint64
	}{
		{0, 1_000_000, 78498},
		{0, 10_000_000, 664579},
		{2, 3, 1},
		{3, 3, 0},
		{4, 2, 0},
		{1, 2, 0},
		// The segment edge: one segment covers 2^16 numbers from its start.
		{0, 1<<16 + 3, exact.PrimesIn(0, 1<<16+3)},
		{65521, 65522, 1}, // the largest prime below 2^16
		{65536, 65538, 1}, // 65537
	}
	for _, c := range cases {
		assert.Equal(t, c.want, countPrimes(t, c.lo, c.hi), "[%d, %d)", c.lo, c.hi)
	}
}

func TestCountPrimesRandomRanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, span := range []uint64{1 << 10, 1 << 18, 1 << 32} {
		for range 40 {
			lo := rng.Uint64N(span)
			hi := min(uint64(workload.MaxPrimesHi), lo+rng.Uint64N(600))
			if span < 1<<32 && rng.IntN(2) == 0 {
				hi = min(span, lo+rng.Uint64N(1<<17)) // across segment edges
			}
			require.Equal(t, exact.PrimesIn(lo, hi), countPrimes(t, lo, hi), "[%d, %d)", lo, hi)
		}
	}
}

func TestCountPrimesTopOfRange(t *testing.T) {
	top := uint64(workload.MaxPrimesHi)
	// 4294967291 is the largest prime below 2^32.
	assert.Equal(t, uint64(1), countPrimes(t, top-5, top))
	assert.Equal(t, exact.PrimesIn(top-2000, top), countPrimes(t, top-2000, top))
	assert.Panics(t, func() { workload.CountPrimes(context.Background(), 0, top+1) })
}

func TestCountPrimesStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := workload.CountPrimes(ctx, 0, 1<<30)
	assert.ErrorIs(t, err, context.Canceled)
}
