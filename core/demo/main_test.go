package demo_test

import (
	"testing"

	"go.uber.org/goleak"
)

// leakOptions ignore the goroutine the wasm runtime keeps for JavaScript
// events, and the one that starts worker processes on Linux, which lives
// as long as a worker it started does (workers outlive a test in a pool).
var leakOptions = []goleak.Option{goleak.IgnoreAnyFunction("runtime.handleEvent"), goleak.IgnoreTopFunction("lanes/core/remote.spawn")}

// TestMain turns the test binary into a worker when a Procs pool starts it
// as one (before anything else, or the worker would run the tests again),
// and checks that no test leaves a goroutine behind.
func TestMain(m *testing.M) {
	mainIfWorker()
	goleak.VerifyTestMain(m, leakOptions...)
}
