package workload

import (
	"context"
)

// MaxSumSquaresHi is the largest upper bound SumSquares accepts: below it
// every i² fits in 64 bits.
const MaxSumSquaresHi = 1 << 32

// checkEvery is how many loop steps run between looks at the context. In
// the browser the kernels also yield there (yield_js.go), so goroutines
// sharing one thread take turns the way Python threads do under the GIL;
// natively they need not (yield_other.go).
const checkEvery = 1 << 16

// SumSquares returns Σ i² for lo ≤ i < hi, exactly. It stops early with
// ctx.Err() when ctx is done. hi must not exceed MaxSumSquaresHi.
func SumSquares(ctx context.Context, lo, hi uint64) (U128, error) {
	if hi > MaxSumSquaresHi {
		panic("workload: SumSquares upper bound above 2^32")
	}
	return sumSquaresWith(ctx, lo, hi, yield)
}

// sumSquaresWith is SumSquares calling y between blocks, where SumSquares
// lets other goroutines run (yield); the yield's benchmark passes others.
func sumSquaresWith(ctx context.Context, lo, hi uint64, y func()) (U128, error) {
	var sum U128
	for lo < hi {
		end := min(hi, lo+checkEvery)
		high, low := sumSquaresBlock(lo, end)
		sum.Add(low)
		sum.Add(high << 32)
		sum.Hi += high >> 32
		lo = end
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		y()
	}
	return sum, nil
}

// sumSquaresBlock returns Σ i² for lo ≤ i < hi as high·2³² + low. Each i²
// is split into its 32-bit halves, so neither sum can overflow for fewer
// than 2³² terms and the loop needs no carries and no branches: 64-bit
// multiplies and adds, native on amd64 and on wasm alike (bits.Mul64 is
// emulated on wasm). It calls nothing, so Go's wasm backend compiles it
// without the dispatch loop that functions making calls get, and it is
// unrolled by four for the same reason.
func sumSquaresBlock(lo, hi uint64) (high, low uint64) {
	const half = 1<<32 - 1
	i := lo
	for ; i+4 <= hi; i += 4 {
		a, b, c, d := i*i, (i+1)*(i+1), (i+2)*(i+2), (i+3)*(i+3)
		high += a>>32 + b>>32 + c>>32 + d>>32
		low += a&half + b&half + c&half + d&half
	}
	for ; i < hi; i++ {
		sq := i * i
		high += sq >> 32
		low += sq & half
	}
	return high, low
}
