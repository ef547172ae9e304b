package worker

import (
	"encoding/json"
	"runtime/debug"
	"sync"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/core/workload"
	"lanes/wasm/fetch"
)

// browserRunner downloads with the browser's Fetch API.
var browserRunner = workload.Runner{Client: fetch.Client{}}

// gcPercent lets a worker's heap grow to five times what is live before
// Go collects garbage, not twice (GOGC=100). A wasm instance has one
// thread: a collection stops the run under way, and one with 10,000
// goroutines parked scans each of their stacks. The connections demo's
// 10,000 goroutines in one worker took 440–730 ms with three collections
// during the run, 315–340 ms with none (BenchmarkGCPercent, under Node),
// and the worker's memory stayed 55–71 MB either way. Every strategy of
// a demo runs in the same worker, so none gains on another by it.
const gcPercent = 400

// Main attaches the export table of the worker's role to worker.js and
// waits. worker.js hands every message (a JSON string) to the attached
// function and, on "close", calls the detach function, which ends the
// wait and releases both.
//
// A CPU worker warms up and runs tasks. The coordinator first starts its
// pool of CPU workers; if that fails, it says why as a crash, which the
// page shows, and exits.
func Main() {
	debug.SetGCPercent(gcPercent)
	self := safejs.Global()
	post := func(data []byte) {
		_, _ = self.Call("postMessage", string(data))
	}
	platform := report.Here("browser")
	if nav, err := self.Get("navigator"); err == nil {
		if ua, err := nav.Get("userAgent"); err == nil {
			platform.UserAgent, _ = ua.String()
		}
		if n, err := nav.Get("hardwareConcurrency"); err == nil {
			if cpus, err := n.Int(); err == nil && cpus > 0 {
				platform.CPUs = cpus
			}
		}
	}
	init, _ := self.Get("lanesInit")
	role := ""
	if r, err := init.Get("role"); err == nil {
		role, _ = r.String()
	}
	var mux *protocol.Mux
	if role == protocol.RoleCoordinator {
		p, test, err := startPool(init)
		if err != nil {
			msg, _ := json.Marshal(protocol.Message{Type: protocol.ScriptCrash, Error: err.Error()})
			post(msg)
			return
		}
		defer p.Close()
		mux = protocol.NewMux(coordinatorExports(p, platform, test), post)
	} else {
		// Warm up before saying ready: a first run that shared this one
		// thread with the warm-up would look slower than it is, and
		// sequential would seem to lose to goroutines on the very lesson
		// it teaches.
		warmUp()
		mux = protocol.NewMux(exports(platform, browserRunner), post)
	}
	receive, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			s, err := args[0].String()
			if err != nil {
				s = "" // answered as malformed
			}
			mux.Receive([]byte(s))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	done := make(chan struct{})
	var once sync.Once
	detach, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		once.Do(func() { close(done) })
		return nil
	})
	if err != nil {
		panic(err)
	}
	if _, err := self.Call("lanesAttach", receive.Value(), detach.Value()); err != nil {
		panic(err)
	}
	<-done
	mux.Wait()
	receive.Release()
	detach.Release()
}
