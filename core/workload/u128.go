package workload

import (
	"math/big"
	"math/bits"
)

// U128 is an unsigned 128-bit accumulator. Its Add uses only 64-bit
// additions and a compare for the carry, which compile to native
// instructions on amd64 and on wasm alike (bits.Mul64 is emulated on wasm).
type U128 struct{ Hi, Lo uint64 }

// Add adds x to u.
func (u *U128) Add(x uint64) {
	var c uint64
	u.Lo, c = bits.Add64(u.Lo, x, 0)
	u.Hi += c
}

// Big returns u as a big.Int.
func (u U128) Big() *big.Int {
	b := new(big.Int).SetUint64(u.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(u.Lo))
}

// String returns u in decimal.
func (u U128) String() string { return u.Big().String() }
