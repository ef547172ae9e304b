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
// More is not better: sieving near 1e9 as well made a revisited page's
// first cpu-primes run with 2 workers faster (462 → 390 ms, medians of 8
// loads) but a first visit's no faster (460 → 468 ms, each load in a fresh
// browser context), while the pool took 163 → 232 ms to be ready.
func warmUp() {
	ctx := context.Background()
	_, _ = workload.SumSquares(ctx, 0, 1_000_000)
	_, _ = workload.CountPrimes(ctx, 0, 4_000_000) // 61 segments: enough calls to tier the sieve up
}
