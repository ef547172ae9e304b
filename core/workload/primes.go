package workload

import (
	"context"
	"runtime"
)

// MaxPrimesHi is the largest upper bound CountPrimes accepts.
const MaxPrimesHi = 1 << 32

// segmentOdds is how many odd numbers one sieve segment covers (32 KiB of
// flags, sized to stay in the L1 cache).
const segmentOdds = 1 << 15

// CountPrimes returns the number of primes p with lo ≤ p < hi, exactly, by a
// segmented sieve of Eratosthenes over odd numbers. It stops early with
// ctx.Err() when ctx is done.
func CountPrimes(ctx context.Context, lo, hi uint64) (uint64, error) {
	if hi > MaxPrimesHi {
		panic("workload: CountPrimes upper bound above 2^32")
	}
	if hi <= lo || hi <= 2 {
		return 0, nil
	}
	var count uint64
	if lo <= 2 {
		count = 1 // 2, the only even prime
		lo = 3
	}
	if lo%2 == 0 {
		lo++
	}
	base := smallPrimes(isqrt(hi-1) + 1)
	flags := make([]bool, segmentOdds)
	for start := lo; start < hi; start += 2 * segmentOdds {
		// flags[j] stands for the odd number start + 2j.
		n := min(segmentOdds, (hi-start+1)/2)
		seg := flags[:n]
		clear(seg)
		for _, p := range base {
			pp := p * p
			if pp >= start+2*n {
				break
			}
			// First odd multiple of p that is ≥ start and ≥ p².
			m := max(pp, (start+p-1)/p*p)
			if m%2 == 0 {
				m += p
			}
			for j := (m - start) / 2; j < n; j += p {
				seg[j] = true
			}
		}
		for j, composite := range seg {
			if !composite && start+2*uint64(j) > 1 {
				count++
			}
		}
		if err := ctx.Err(); err != nil {
			return count, err
		}
		runtime.Gosched()
	}
	return count, nil
}

// smallPrimes returns the odd primes below n.
func smallPrimes(n uint64) []uint64 {
	composite := make([]bool, n)
	var ps []uint64
	for i := uint64(3); i < n; i += 2 {
		if composite[i] {
			continue
		}
		ps = append(ps, i)
		for j := i * i; j < n; j += 2 * i {
			composite[j] = true
		}
	}
	return ps
}

// isqrt returns ⌊√n⌋.
func isqrt(n uint64) uint64 {
	r := uint64(0)
	for bit := uint64(1) << 32; bit > 0; bit >>= 1 {
		if c := r | bit; c*c <= n && c <= 1<<32-1 {
			r = c
		}
	}
	return r
}
