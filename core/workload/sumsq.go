package workload

import (
	"context"
	"runtime"
)

// MaxSumSquaresHi is the largest upper bound SumSquares accepts: below it
// every i² fits in 64 bits, so the loop needs one multiply and one add with
// carry per step.
const MaxSumSquaresHi = 1 << 32

// checkEvery is how many loop steps run between looks at the context. It
// also yields the processor, so goroutines sharing one thread (a wasm
// instance) take turns the way Python threads do under the GIL.
const checkEvery = 1 << 16

// SumSquares returns Σ i² for lo ≤ i < hi, exactly. It stops early with
// ctx.Err() when ctx is done. hi must not exceed MaxSumSquaresHi.
func SumSquares(ctx context.Context, lo, hi uint64) (U128, error) {
	var sum U128
	if hi > MaxSumSquaresHi {
		panic("workload: SumSquares upper bound above 2^32")
	}
	for lo < hi {
		end := min(hi, lo+checkEvery)
		for i := lo; i < end; i++ {
			sum.Add(i * i)
		}
		lo = end
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		runtime.Gosched()
	}
	return sum, nil
}
