// Package task is the cpu-sumsq demo's work written against the task API:
// task i of n adds up k² over its slice of [0, size), exactly. The n
// tasks together give Σ k² for 0 ≤ k < size, whatever n: at size 10⁹,
// 333333332833333333500000000 — more than 64 bits hold.
package task

import (
	"context"
	"math/big"
	"math/bits"
	"runtime"
)

// size is the bound of the sum, as the demo's size knob.
const size = 1_000_000_000

// Task adds up k² for the k of its slice of [0, size).
func Task(ctx context.Context, i, n int) (string, error) {
	lo, hi := uint64(size*i/n), uint64(size*(i+1)/n)
	var sumHi, sumLo uint64 // the sum so far: sumHi·2⁶⁴ + sumLo
	add := func(x uint64) {
		var carry uint64
		sumLo, carry = bits.Add64(sumLo, x, 0)
		sumHi += carry
	}
	for lo < hi {
		end := min(hi, lo+1<<16)
		// Within a block, each k² is split into its 32-bit halves: the
		// sums of halves cannot overflow, and the loop needs only 64-bit
		// arithmetic, which is native in the browser too.
		var high, low uint64
		for k := lo; k < end; k++ {
			sq := k * k
			high += sq >> 32
			low += sq & (1<<32 - 1)
		}
		add(low)
		add(high << 32)
		sumHi += high >> 32
		lo = end
		// Between blocks: stop when the run is stopped, and let the
		// other goroutines of this Go instance run — in the browser it
		// has one thread, and without this goroutines take turns only
		// when a task ends.
		if err := ctx.Err(); err != nil {
			return "", err
		}
		runtime.Gosched()
	}
	sum := new(big.Int).Lsh(new(big.Int).SetUint64(sumHi), 64)
	sum.Add(sum, new(big.Int).SetUint64(sumLo))
	return sum.String(), nil
}
