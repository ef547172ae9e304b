package workload

import (
	"context"
)

// Hash returns the 64-bit FNV-1a hash of body fed through rounds times: the
// CPU stage of the pipeline demo, whose cost grows with the body's length.
// It stops early with ctx.Err() when ctx is done.
func Hash(ctx context.Context, body []byte, rounds int) (uint64, error) {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for r := 0; r < rounds; r++ {
		for _, b := range body {
			h ^= uint64(b)
			h *= prime
		}
		if r%64 == 63 {
			if err := ctx.Err(); err != nil {
				return h, err
			}
			yield()
		}
	}
	return h, ctx.Err()
}
