// Package task is the cancel demo's work written against the task API:
// long sums of squares, task i of n adding up k² over its slice of
// [0, 2³²). Run it with a timeout (the demo's is 500 ms): a task that
// looks at ctx stops where it is and reports the cut; delete the look
// and watch what a deadline can and cannot stop. Run whole, the n tasks
// give Σ k² for 0 ≤ k < 2³², 26409387495531407161709035520.
package task

import (
	"context"
	"math/big"
	"math/bits"
	"runtime"
)

// size is the bound of the sum, as the demo's size knob.
const size = 1 << 32

// Task adds up k² for the k of its slice of [0, size), looking at ctx
// between blocks.
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
		var high, low uint64 // each k² split into its 32-bit halves
		for k := lo; k < end; k++ {
			sq := k * k
			high += sq >> 32
			low += sq & (1<<32 - 1)
		}
		add(low)
		add(high << 32)
		sumHi += high >> 32
		lo = end
		// The look at ctx: without it a stopped task runs to its end
		// here, and only a worker that is killed (a process, a Web
		// Worker) stops.
		if err := ctx.Err(); err != nil {
			return "", err
		}
		runtime.Gosched() // in the browser, let the other goroutines run
	}
	sum := new(big.Int).Lsh(new(big.Int).SetUint64(sumHi), 64)
	sum.Add(sum, new(big.Int).SetUint64(sumLo))
	return sum.String(), nil
}
