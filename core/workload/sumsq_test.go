package workload_test

import (
	"context"
	"lanes/core/internal/exact"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

func TestSumSquaresBelowKnownValues(t *testing.T) {
	// The closed form itself, against values worked out by hand and the
	// figure design.md quotes.
	for n, want := range map[uint64]string{
		0: "0", 1: "0", 2: "1", 3: "5", 4: "14", 11: "385",
		100_000_000: "333333328333333350000000",
	} {
		assert.Equal(t, want, exact.SumSquaresBelow(n).String(), "n=%d", n)
	}
}

func TestSumSquares(t *testing.T) {
	top := uint64(workload.MaxSumSquaresHi)
	cases := []struct {
		name   string
		lo, hi uint64
	}{
		{"empty", 0, 0},
		{"one", 0, 1},
		{"two", 0, 2},
		{"three", 0, 3},
		{"four", 0, 4},
		{"lo above hi", 10, 3},
		{"single term", 7, 8},
		{"check boundary", 0, 1 << 16},
		{"check boundary+1", 0, 1<<16 + 1},
		{"across check boundary", 1<<16 - 5, 1<<16 + 5},
		{"prime", 0, 65537},
		{"prime+1", 65537, 65538},
		{"exceeds 64 bits", 3_000_000, 3_100_000},
		{"top of the range", top - 100_000, top},
		{"last term", top - 1, top},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := workload.SumSquares(context.Background(), c.lo, c.hi)
			require.NoError(t, err)
			assert.Equal(t, exact.SumSquaresRange(c.lo, c.hi).String(), got.String())
		})
	}
	t.Run("random ranges", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for range 50 {
			lo := rng.Uint64N(top)
			hi := min(top, lo+rng.Uint64N(20_000))
			got, err := workload.SumSquares(context.Background(), lo, hi)
			require.NoError(t, err)
			require.Equal(t, exact.SumSquaresRange(lo, hi).String(), got.String(), "[%d, %d)", lo, hi)
		}
	})
}

func TestSumSquaresPanicsAboveBound(t *testing.T) {
	assert.PanicsWithValue(t, "workload: SumSquares upper bound above 2^32", func() {
		workload.SumSquares(context.Background(), 0, workload.MaxSumSquaresHi+1)
	})
}

func TestSumSquaresStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := workload.SumSquares(ctx, 0, workload.MaxSumSquaresHi)
	require.ErrorIs(t, err, context.Canceled)
	// It stops long before the end, with what it had added so far.
	assert.Negative(t, sum.Big().Cmp(exact.SumSquaresBelow(1<<20)))
}

func TestU128(t *testing.T) {
	cases := []struct {
		name string
		u    workload.U128
		add  []uint64
	}{
		{"zero", workload.U128{}, nil},
		{"small", workload.U128{}, []uint64{1, 2, 3}},
		{"carry", workload.U128{Lo: math.MaxUint64}, []uint64{1}},
		{"carry twice", workload.U128{Hi: 5, Lo: math.MaxUint64 - 1}, []uint64{math.MaxUint64, math.MaxUint64}},
		{"high word only", workload.U128{Hi: math.MaxUint32}, []uint64{0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := new(big.Int).Lsh(new(big.Int).SetUint64(c.u.Hi), 64)
			want.Add(want, new(big.Int).SetUint64(c.u.Lo))
			u := c.u
			for _, x := range c.add {
				u.Add(x)
				want.Add(want, new(big.Int).SetUint64(x))
			}
			assert.Equal(t, want.String(), u.String())
			assert.Equal(t, 0, want.Cmp(u.Big()))
		})
	}
}
