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

// The sieve agrees with trial division, and with the published counts.
func TestPrimesBelow(t *testing.T) {
	for n := uint64(0); n < 3000; n++ {
		if got, want := PrimesBelow(n), PrimesIn(0, n); got != want {
			t.Fatalf("PrimesBelow(%d) = %d, want %d", n, got, want)
		}
	}
	for k, p := 0, uint64(1); k <= 7; k, p = k+1, p*10 {
		if got := sieve(p); got != primesBelowPow10[k] {
			t.Fatalf("sieve(1e%d) = %d, published %d", k, got, primesBelowPow10[k])
		}
	}
	if got := PrimesBelow(1_000_000_000); got != 50847534 {
		t.Fatalf("PrimesBelow(1e9) = %d", got)
	}
}

// FNV1aRepeated follows FNV-1a's definition: offset basis, then for each
// byte xor and multiply by the prime.
func TestFNV1aRepeated(t *testing.T) {
	body := []byte{0, 'a', '\n', 255}
	for rounds := range 5 {
		h := uint64(14695981039346656037)
		for range rounds {
			for _, b := range body {
				h ^= uint64(b)
				h *= 1099511628211
			}
		}
		if got := FNV1aRepeated(body, rounds); got != h {
			t.Fatalf("rounds %d: %d, want %d", rounds, got, h)
		}
	}
}
