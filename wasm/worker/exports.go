// Package worker is the Go program inside each of the page's Web Workers,
// in one of two roles (core/protocol is the reference). A CPU worker's
// Main is an export table — "do" runs a remote.Request for the pool, "run"
// runs one strategy of a demo right here — and a wait. One CPU worker is
// one Go instance, one thread: the strategies that need no remote pool run
// inside it, which is the lesson (goroutines take turns there, as Python
// threads do under the GIL). The coordinator, the page's one worker, runs
// every strategy over a pool of CPU workers of its own.
//
// The page and its workers run the same wasm binary (wasm/app), compiled
// once: it calls Main when it finds itself in a worker. Two binaries would
// each carry core and the runtime, and a first visit loads both.
package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// exports is a CPU worker's API; runner downloads.
func exports(platform report.Platform, runner workload.Runner) protocol.Exports {
	return protocol.Exports{
		protocol.ExportDo:  protocol.DoHandler(runner),
		protocol.ExportRun: runHandler(runner, platform, nil),
	}
}

// A cpuPool is the coordinator's pool of CPU workers (wasm/pool.Pool).
type cpuPool interface {
	remote.Pool
	// Grow adds workers until the pool has k lanes.
	Grow(k int)
	// Run runs one strategy whole inside the pool's first worker, passing
	// on its task events and its answer as the worker wrote them.
	Run(ctx context.Context, req protocol.RunRequest, onEvent func(json.RawMessage)) (json.RawMessage, error)
}

// runHandler runs one strategy of a demo, emitting each task (a
// report.Task) as it is delivered, and answers with the report.Run (a
// protocol.RunAnswer when the request asked for Streamed). In a
// CPU worker (pool nil) it runs here; in the coordinator, a strategy that
// needs no remote pool runs whole inside the pool's first worker, and the
// others run here, dispatching their tasks to the pool.
func runHandler(runner workload.Runner, platform report.Platform, pool cpuPool) protocol.Handler {
	return func(ctx context.Context, body json.RawMessage, emit func(any)) (any, error) {
		var req protocol.RunRequest
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		cfg, err := demo.Parse(req.Values)
		if err != nil {
			return nil, err
		}
		var mu sync.Mutex
		var sent report.ByID[report.Task] // each task's last event, for a Streamed answer
		sent.Expect(cfg.Tasks)            // in the order they end, not by ID
		env := demo.Env{
			Platform:   platform,
			Runner:     runner,
			TargetBase: req.TargetBase,
			OnTask: func(_ string, t report.Task) {
				if req.Streamed {
					mu.Lock()
					sent.Put(t.ID, t)
					mu.Unlock()
				}
				emit(t)
			},
		}
		if pool != nil {
			d, err := demo.Lookup(cfg.Demo)
			if err != nil {
				return nil, err
			}
			if !d.UsesRemote(req.Strategy) {
				// Forwarded as they came: decoding and encoding a run of
				// 10,000 tasks again took this worker's thread, and one of
				// the machine's cores, while the run still went on.
				return pool.Run(ctx, req, func(t json.RawMessage) { emit(t) })
			}
			env.Remote = func(k int) (remote.Pool, func(), error) {
				pool.Grow(k)
				return pool, func() {}, nil
			}
		}
		readyGoroutines(max(cfg.Tasks, cfg.K))
		run, err := demo.RunOne(ctx, env, cfg, req.Strategy)
		if err != nil || !req.Streamed {
			return run, err
		}
		mu.Lock()
		defer mu.Unlock()
		return protocol.Compact(run, &sent), nil
	}
}
