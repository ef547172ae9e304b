package exact

import (
	"math/big"
	"testing"
)

// The closed form and the trial division agree with plain loops.
func TestAgainstLoops(t *testing.T) {
	sum := new(big.Int)
	primes := uint64(0)
	for n := uint64(0); n < 2000; n++ {
		if got := SumSquaresBelow(n); got.Cmp(sum) != 0 {
			t.Fatalf("SumSquaresBelow(%d) = %v, want %v", n, got, sum)
		}
		if got := PrimesIn(0, n); got != primes {
			t.Fatalf("PrimesIn(0, %d) = %d, want %d", n, got, primes)
		}
		sum.Add(sum, new(big.Int).SetUint64(n*n))
		prime := n >= 2
		for d := uint64(2); d < n; d++ {
			if n%d == 0 {
				prime = false
			}
		}
		if prime {
			primes++
		}
	}
	if got := SumSquaresRange(5, 3); got.Sign() != 0 {
		t.Fatalf("SumSquaresRange(5, 3) = %v, want 0", got)
	}
}
