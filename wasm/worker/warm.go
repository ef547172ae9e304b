package worker

import (
	"context"

	"lanes/core/workload"
)

// warmUp runs a little of each CPU workload before the worker says it is
// ready, so that the browser compiles their hot loops with its optimizing
// tier before the first run, not during it — when that compilation, on a
// machine with few cores, competes with the run and the page for the CPU.
//
// The sieve is warmed at both ends: low, where small primes cross off many
// times a segment, and high, where thousands of primes cross off once or
// not at all. Measured on a fresh page's first cpu-primes run below 1e9
// with 2 workers, medians of 8 loads: 462 ms warmed low only, 390 ms warmed
// at both ends, for 13 ms more before the pool is ready (64 → 77 ms).
func warmUp() {
	ctx := context.Background()
	_, _ = workload.SumSquares(ctx, 0, 1_000_000)
	_, _ = workload.CountPrimes(ctx, 0, 4_000_000)
	_, _ = workload.CountPrimes(ctx, 1_000_000_000-20_000_000, 1_000_000_000)
}
