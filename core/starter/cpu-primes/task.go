// Package task is the cpu-primes demo's work written against the task
// API: task i of n counts the primes in its slice of [0, size) with a
// segmented sieve of Eratosthenes. The n tasks together count the primes
// below size, whatever n: below 10⁹, 50847534.
package task

import (
	"context"
	"runtime"
	"strconv"
)

// size is the bound of the count, as the demo's size knob.
const size = 1_000_000_000

// segment is how many numbers one pass of the sieve covers.
const segment = 1 << 16

// Task counts the primes p with lo ≤ p < hi, its slice of [0, size).
func Task(ctx context.Context, i, n int) (string, error) {
	lo, hi := size*i/n, size*(i+1)/n
	// The primes up to √hi, by a plain sieve: they strike out the
	// composites of every segment.
	root := 1
	for root*root < hi {
		root++
	}
	var small []int
	composite := make([]bool, root+1)
	for p := 2; p <= root; p++ {
		if !composite[p] {
			small = append(small, p)
			for m := p * p; m <= root; m += p {
				composite[m] = true
			}
		}
	}
	count := 0
	struck := make([]bool, segment)
	for start := lo; start < hi; start += segment {
		end := min(hi, start+segment)
		clear(struck)
		for _, p := range small {
			if p*p >= end {
				break
			}
			// The first multiple of p in [start, end), not p itself.
			first := max(p*p, (start+p-1)/p*p)
			for m := first; m < end; m += p {
				struck[m-start] = true
			}
		}
		for k := max(start, 2); k < end; k++ {
			if !struck[k-start] {
				count++
			}
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		runtime.Gosched() // in the browser, let the other goroutines run
	}
	return strconv.Itoa(count), nil
}
