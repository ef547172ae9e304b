package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
	"lanes/wasm/pool"
)

// startPool starts the coordinator's CPU workers from what worker.js was
// given (lanesInit: the compiled module, the URLs of worker.js and
// wasm_exec.js, the pool's size) and waits until they all listen.
func startPool(init safejs.Value) (*pool.Pool, error) {
	str := func(name string) string {
		v, _ := init.Get(name)
		s, _ := v.String()
		return s
	}
	module, err := init.Get("module")
	if err != nil {
		return nil, err
	}
	size := 1
	if v, err := init.Get("size"); err == nil {
		if n, err := v.Int(); err == nil {
			size = n
		}
	}
	p := pool.New(pool.Boot{Module: module, Script: str("script"), Exec: str("exec")}, size)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Ready(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("web workers: %w", err)
	}
	return p, nil
}

// coordinatorExports is the coordinator's API: "run" runs one strategy of
// a demo — whole inside the pool's first worker when it needs no remote
// workers (the one-thread lesson), or here, dispatching its tasks to the
// pool — emitting each delivered task; "status" and "fail" serve the
// page's tests.
func coordinatorExports(p *pool.Pool, platform report.Platform) remote.Exports {
	return remote.Exports{
		remote.ExportRun: func(ctx context.Context, body json.RawMessage, emit func(any)) (any, error) {
			var req remote.RunRequest
			if err := json.Unmarshal(body, &req); err != nil {
				return nil, fmt.Errorf("run: %w", err)
			}
			cfg, err := demo.Parse(req.Values)
			if err != nil {
				return nil, err
			}
			d, err := demo.Lookup(cfg.Demo)
			if err != nil {
				return nil, err
			}
			if !d.UsesRemote(req.Strategy) {
				return p.Run(ctx, req, func(t report.Task) { emit(t) })
			}
			env := demo.Env{
				Platform:   platform,
				Runner:     workload.Runner{},
				TargetBase: req.TargetBase,
				Remote: func(k int) (remote.Pool, func(), error) {
					p.Grow(k)
					return p, func() {}, nil
				},
				OnTask: func(_ string, t report.Task) { emit(t) },
			}
			return demo.RunOne(ctx, env, cfg, req.Strategy)
		},
		pool.ExportStatus: func(context.Context, json.RawMessage, func(any)) (any, error) {
			size, ready, busy := p.Status()
			return pool.Status{Size: size, Ready: ready, Busy: busy}, nil
		},
		pool.ExportFail: func(_ context.Context, body json.RawMessage, _ func(any)) (any, error) {
			var n int
			if err := json.Unmarshal(body, &n); err != nil {
				return nil, fmt.Errorf("fail: %w", err)
			}
			p.Fail(n)
			return nil, nil
		},
	}
}
