package workload

import "runtime"

// yield lets the other goroutines of this Go instance run. A wasm instance
// has one thread and Go cannot preempt a goroutine there, so without it a
// kernel would hold the thread to the end of its task and goroutines would
// run one after another instead of taking turns, as Python threads do under
// the GIL. The kernels call it between blocks of about 65,536 steps.
// It costs the sum of squares 1–1.5% under Node (BenchmarkYield's
// comment has the figures).
func yield() { runtime.Gosched() }
