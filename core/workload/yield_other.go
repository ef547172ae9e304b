//go:build !js

package workload

// yield does nothing natively: Go preempts a running goroutine
// asynchronously, so goroutines take turns on a core without it, and
// runtime.Gosched there is not free: with an idle P it sends the goroutine
// through the global run queue, and made a sequential cpu-sumsq at 2·10⁹
// 10% slower with GOMAXPROCS 2 than with 1 (874 vs 794 ms, medians of 5;
// without it 745 and 745 ms, medians of 9). BenchmarkYield's comment has
// the figures.
func yield() {}
