package main

import (
	"context"
	"fmt"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
	"lanes/wasm/pool"
	"lanes/wasm/promise"
)

// startCoordinator starts the coordinator worker, and through it the pool
// of CPU workers, from the Module boot.js compiled (this program's own):
// the pool's default size is the number of logical CPUs, from 1 to 16.
// A coordinator that cannot start says why on the page and to the
// embedding page; the next Run starts it again.
func startCoordinator(b *backend, cpus int) {
	boot := safejs.Safe(js.Global().Get("lanesBoot"))
	module, err := boot.Get("module")
	if err == nil {
		module, err = promise.Await(context.Background(), module) // boot.js reports a failed compile itself
	}
	if err != nil {
		err = fmt.Errorf("app.wasm: %w", err)
		b.coord <- started{err: err}
		b.Post(protocol.Failure(err.Error()))
		fail(err)
		return
	}
	script, _ := boot.Get("workerJS")
	exec, _ := boot.Get("exec")
	scriptURL, _ := script.String()
	execURL, _ := exec.String()
	c := pool.NewCoordinator(pool.Boot{Module: module, Script: scriptURL, Exec: execURL, Test: b.test}, min(max(cpus, 1), 16))
	b.coord <- started{c: c}
	if b.test {
		installTestHooks(b, c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Ready(ctx); err != nil {
		b.Post(protocol.Failure("web workers: " + err.Error()))
		fail(fmt.Errorf("web workers: %w", err))
		return
	}
	mark("lanes pool ready")
}
