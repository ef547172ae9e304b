// Package exact gives the independent answers that Lanes' tests check the
// workloads against: closed forms in math/big and counts by trial division,
// slow and obviously right.
package exact

import "math/big"

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
