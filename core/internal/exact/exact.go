// Package exact gives the independent answers that Lanes' tests check the
// workloads against: closed forms in math/big and counts by trial division,
// slow and obviously right.
package exact

import (
	"hash/fnv"
	"math/big"
)

// SumSquaresBelow is Σ i² for 0 ≤ i < n by the closed form n(n-1)(2n-1)/6.
func SumSquaresBelow(n uint64) *big.Int {
	b := new(big.Int).SetUint64(n)
	r := new(big.Int).Mul(b, new(big.Int).Sub(b, big.NewInt(1)))
	r.Mul(r, new(big.Int).Sub(new(big.Int).Lsh(b, 1), big.NewInt(1)))
	return r.Quo(r, big.NewInt(6))
}

// SumSquaresRange is Σ i² for lo ≤ i < hi; zero when hi ≤ lo.
func SumSquaresRange(lo, hi uint64) *big.Int {
	if hi <= lo {
		return new(big.Int)
	}
	return new(big.Int).Sub(SumSquaresBelow(hi), SumSquaresBelow(lo))
}

// IsPrime reports whether n is prime, by trial division.
func IsPrime(n uint64) bool {
	if n < 2 {
		return false
	}
	for d := uint64(2); d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}

// PrimesIn counts the primes p with lo ≤ p < hi one by one.
func PrimesIn(lo, hi uint64) uint64 {
	var n uint64
	for i := lo; i < hi; i++ {
		if IsPrime(i) {
			n++
		}
	}
	return n
}

// primesBelowPow10 are π(10^k), the counts of primes below powers of ten,
// as published (OEIS A006880).
var primesBelowPow10 = []uint64{0, 4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534, 455052511}

// PrimesBelow counts the primes p < n: from the published table at a power
// of ten, and otherwise by a plain sieve of Eratosthenes over the odd
// numbers (n/16 bytes of memory).
func PrimesBelow(n uint64) uint64 {
	for k, p := uint64(0), uint64(1); k < uint64(len(primesBelowPow10)); k, p = k+1, p*10 {
		if n == p {
			return primesBelowPow10[k]
		}
	}
	return sieve(n)
}

// sieve counts the primes below n by the sieve of Eratosthenes.
func sieve(n uint64) uint64 {
	if n <= 2 {
		return 0
	}
	// Bit i stands for the odd number 2i+1; set means composite.
	composite := make([]uint64, (n/2+63)/64)
	count := uint64(1) // 2
	for i := uint64(1); 2*i+1 < n; i++ {
		if composite[i/64]&(1<<(i%64)) != 0 {
			continue
		}
		count++
		p := 2*i + 1
		for m := p * p; m < n; m += 2 * p {
			j := m / 2
			composite[j/64] |= 1 << (j % 64)
		}
	}
	return count
}

// FNV1aRepeated is the 64-bit FNV-1a hash of body repeated rounds times,
// by the standard library's hash/fnv.
func FNV1aRepeated(body []byte, rounds int) uint64 {
	h := fnv.New64a()
	for range rounds {
		h.Write(body)
	}
	return h.Sum64()
}
