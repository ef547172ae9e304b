package main

import (
	"context"
	"fmt"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/wasm/pool"
)

// startPool starts the Web Worker pool from the Module boot.js compiled
// (this program's own): the default size is the number of logical CPUs,
// from 1 to 16.
func startPool(b *backend, cpus int) {
	boot := safejs.Safe(js.Global().Get("lanesBoot"))
	module, err := boot.Get("module")
	if err == nil {
		module, err = pool.Await(module)
	}
	if err != nil {
		fail(fmt.Errorf("app.wasm: %w", err))
		return
	}
	script, _ := boot.Get("workerJS")
	exec, _ := boot.Get("exec")
	scriptURL, _ := script.String()
	execURL, _ := exec.String()
	p := pool.New(pool.Boot{Module: module, Script: scriptURL, Exec: execURL}, min(max(cpus, 1), 16))
	b.pool <- p
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Ready(ctx); err != nil {
		fail(fmt.Errorf("web workers: %w", err))
		return
	}
	g := js.Global()
	g.Set("lanesPoolReady", g.Get("performance").Call("now"))
	// These two live as long as the page, so they are never released.
	g.Set("lanesPoolStatus", js.FuncOf(func(js.Value, []js.Value) any {
		size, ready, busy := p.Status()
		return map[string]any{"size": size, "ready": ready, "busy": busy}
	}))
	g.Set("lanesFailWorker", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			p.Fail(args[0].Int())
		}
		return nil
	}))
}
