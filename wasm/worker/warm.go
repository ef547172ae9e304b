package worker

import (
	"context"
	"sync"

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

// readyGoroutines has this Go instance hold n goroutines at once, unless
// it once held as many, before a run that may start that many: the first
// time, each goroutine costs the runtime a new one (its record and its
// stack) and later ones reuse them. In a wasm instance under Node, the
// first burst of 10,000 goroutines that yield once took 200–220 ms, the
// next ones 26–42 ms; the connections demo's first run of 10,000
// goroutines took 830–1070 ms, later runs 370–480 ms. In fresh browser
// profiles its first run took 908–985 ms before this, 630–932 ms after
// (later runs 440–600 ms). The run then measures its goroutines' work, not
// the runtime's first growth, as every later run does; the wait comes
// before the run's clock starts, and only once.
func readyGoroutines(n int) {
	readied.Lock()
	defer readied.Unlock()
	if n <= readied.n {
		return
	}
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { <-release })
	}
	close(release)
	wg.Wait()
	readied.n = n
}

var readied struct {
	sync.Mutex
	n int // the most goroutines readyGoroutines has had at once
}
