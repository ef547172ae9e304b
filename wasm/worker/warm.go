package worker

import (
	"context"

	"lanes/core/workload"
)

// warmUp runs a little of each CPU workload before the worker says it is
// ready, so that the browser compiles their hot loops with its optimizing
// tier before the first run, not during it — when that compilation, on a
// machine with few cores, competes with the run and the page for the CPU.
func warmUp() {
	ctx := context.Background()
	_, _ = workload.SumSquares(ctx, 0, 1_000_000)
	_, _ = workload.CountPrimes(ctx, 0, 4_000_000) // 61 segments: enough calls to tier the sieve up
}
