// Package testkit is what core's tests share: a TestMain that turns the
// test binary into a worker process when a pool starts it as one and
// checks for leaked goroutines, the goroutines a leak check ignores, and
// (natively) a pool of worker processes for a test. Only tests import it.
package testkit

import (
	"testing"

	"go.uber.org/goleak"
)

// Ignored is the goroutine the wasm runtime keeps for JavaScript events,
// which no leak check should count.
var Ignored = []goleak.Option{goleak.IgnoreAnyFunction("runtime.handleEvent")}

// WithPools is Ignored and the goroutine that starts worker processes on
// Linux, which lives as long as a worker it started does: for tests whose
// pools outlive a test.
var WithPools = append(Ignored[:len(Ignored):len(Ignored)], goleak.IgnoreTopFunction("lanes/core/remote.spawn"))

// Main is a test binary's TestMain: natively, a process a pool started as
// a worker becomes one first (before anything else, or the worker would
// run the tests again); then the tests run, and a goroutine any left
// behind, beyond those ignore names, fails the binary.
func Main(m *testing.M, ignore []goleak.Option) {
	mainIfWorker()
	goleak.VerifyTestMain(m, ignore...)
}
