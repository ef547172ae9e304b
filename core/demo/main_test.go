package demo_test

import (
	"testing"

	"go.uber.org/goleak"
)

// leakOptions ignore the goroutine the wasm runtime keeps for JavaScript
// events.
var leakOptions = []goleak.Option{goleak.IgnoreAnyFunction("runtime.handleEvent")}

// TestMain turns the test binary into a worker when a Procs pool starts it
// as one (before anything else, or the worker would run the tests again),
// and checks that no test leaves a goroutine behind.
func TestMain(m *testing.M) {
	mainIfWorker()
	goleak.VerifyTestMain(m, leakOptions...)
}
