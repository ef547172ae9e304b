package workload

import (
	"context"
	"encoding/binary"
	"runtime"
	"sync"
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
	flags := make([]byte, segmentOdds)
	for start := lo; start < hi; start += 2 * segmentOdds {
		// flags[j] stands for the odd number start + 2j; 1 marks a composite.
		seg := flags[:min(segmentOdds, (hi-start+1)/2)]
		presieve(seg, start)
		for _, p := range base {
			if p <= presieved {
				continue
			}
			pp := p * p
			if pp >= start+2*uint64(len(seg)) {
				break
			}
			// The first odd multiple of p that is ≥ start and ≥ p².
			m := max(pp, (start+p-1)/p*p)
			if m%2 == 0 {
				m += p
			}
			markEvery(seg, int((m-start)/2), int(p))
		}
		count += uint64(len(seg) - countMarked(seg))
		if start == 1 {
			count-- // 1 is not a prime
		}
		if err := ctx.Err(); err != nil {
			return count, err
		}
		runtime.Gosched()
	}
	return count, nil
}

// markEvery sets seg[j], seg[j+step], … to 1. Like countMarked it calls
// nothing, so Go's wasm backend compiles it without the dispatch loop that
// functions making calls get: the hot loops of the sieve live in leaves.
// Unsigned indices drop the bounds checks; four stores a turn cut the
// loop's overhead, which wasm pays more for than native code.
func markEvery(seg []byte, j, step int) {
	n := uint(len(seg))
	u, st := uint(j), uint(step)
	for ; u+3*st < n; u += 4 * st {
		seg[u] = 1
		seg[u+st] = 1
		seg[u+2*st] = 1
		seg[u+3*st] = 1
	}
	for ; u < n; u += st {
		seg[u] = 1
	}
}

// countMarked returns how many bytes of seg are 1 (the rest are 0), eight
// at a time.
func countMarked(seg []byte) int {
	marked, k := 0, 0
	for ; k+8 <= len(seg); k += 8 {
		w := binary.LittleEndian.Uint64(seg[k:])
		marked += int((w * 0x0101010101010101) >> 56) // sum of the 8 bytes
	}
	for ; k < len(seg); k++ {
		marked += int(seg[k])
	}
	return marked
}

// The odd primes whose multiples the pattern marks ahead of sieving; the
// densest marks, replaced by one copy per segment.
var presieveBy = []uint64{3, 5, 7, 11, 13, 17}

const presieved = 17

// patternPeriod is the product of presieveBy.
const patternPeriod = 3 * 5 * 7 * 11 * 13 * 17

// pattern[i] is 1 when the odd number 2i+1 has a factor in presieveBy. It
// repeats every patternPeriod entries and runs one segment longer, so any
// segment's flags are one copy from it. It is built on first use.
var pattern = sync.OnceValue(func() []byte {
	p := make([]byte, patternPeriod+segmentOdds)
	for _, q := range presieveBy {
		for i := (q - 1) / 2; i < uint64(len(p)); i += q {
			p[i] = 1
		}
	}
	return p
})

// presieve fills seg, the flags of the odd numbers from start, from the
// pattern, then unmarks the presieving primes themselves.
func presieve(seg []byte, start uint64) {
	copy(seg, pattern()[(start/2)%patternPeriod:])
	for _, q := range presieveBy {
		if q >= start && q < start+2*uint64(len(seg)) {
			seg[(q-start)/2] = 0
		}
	}
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
