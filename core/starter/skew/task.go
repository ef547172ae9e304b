// Package task is the skew demo's work written against the task API: a
// sum of squares over [0, size) cut into n slices of unequal size — every
// fourth task, from task 0, eight times the others, as when the input is
// sorted or grouped. Compare partition (task k on worker k mod K), pool
// and chunked. Whatever n, the tasks give Σ k² for 0 ≤ k < size: at
// 4·10⁸, 21333333253333333400000000.
package task

import (
	"context"
	"math/big"
	"math/bits"
	"runtime"
)

// size is the bound of the sum, as the demo's size knob.
const size = 400_000_000

// weight is task k's share of the work.
func weight(k int) uint64 {
	if k%4 == 0 {
		return 8
	}
	return 1
}

// Task adds up k² over its weighted slice of [0, size).
func Task(ctx context.Context, i, n int) (string, error) {
	var total, before uint64
	for k := range n {
		if k < i {
			before += weight(k)
		}
		total += weight(k)
	}
	lo := size * before / total
	hi := size * (before + weight(i)) / total
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
		if err := ctx.Err(); err != nil {
			return "", err
		}
		runtime.Gosched() // in the browser, let the other goroutines run
	}
	sum := new(big.Int).Lsh(new(big.Int).SetUint64(sumHi), 64)
	sum.Add(sum, new(big.Int).SetUint64(sumLo))
	return sum.String(), nil
}
