// Σ k² over task i's slice of [0, 1000000), as a user might write it.
package task

import (
	"context"
	"math/big"
)

const size = 1_000_000

func Task(ctx context.Context, i, n int) (string, error) {
	sum, sq := new(big.Int), new(big.Int)
	for k := int64(size * i / n); k < int64(size*(i+1)/n); k++ {
		sq.SetInt64(k)
		sum.Add(sum, sq.Mul(sq, sq))
	}
	return sum.String(), ctx.Err()
}
