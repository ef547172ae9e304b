package workload

import (
	"context"
)

// Hash returns the 64-bit FNV-1a hash of body fed through rounds times: the
// CPU stage of the pipeline demo, whose cost grows with the body's length.
// It stops early with ctx.Err() when ctx is done: it looks at ctx after
// every hashCheckBytes bytes (at a round's end) as well as every 64 rounds,
// so a few rounds of a long body are cut too.
func Hash(ctx context.Context, body []byte, rounds int) (uint64, error) {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	unchecked := 0 // bytes hashed since ctx was last looked at
	for r := 0; r < rounds; r++ {
		for _, b := range body {
			h ^= uint64(b)
			h *= prime
		}
		if unchecked += len(body); unchecked >= hashCheckBytes {
			unchecked = 0
			if err := ctx.Err(); err != nil {
				return h, err
			}
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

// hashCheckBytes is how many bytes Hash hashes between looks at its ctx
// (about a millisecond's work).
const hashCheckBytes = 1 << 20
