// A user's task: Σ k² over its slice of [0, size), exactly, as math/big
// adds it, printing and reading as it goes (neither may disturb the run).
package task

import (
	"context"
	"fmt"
	"math/big"
)

const size = 3_000_000

func Task(ctx context.Context, i, n int) (string, error) {
	fmt.Println("task", i, "of", n, "starts") // to standard error, not into the report
	var line string
	fmt.Scanln(&line) // reads nothing: standard input is not the workers' requests
	lo, hi := int64(size*i/n), int64(size*(i+1)/n)
	sum, sq := new(big.Int), new(big.Int)
	for k := lo; k < hi; k++ {
		sq.SetInt64(k)
		sum.Add(sum, sq.Mul(sq, sq))
		if k%65536 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
	}
	return sum.String(), nil
}
