package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/wasm/pool"
)

// startPool starts the coordinator's CPU workers from what worker.js was
// given (lanesInit: the compiled module, the URLs of worker.js and
// wasm_exec.js, the pool's size, whether the tests' hooks are on) and
// waits until they all listen.
func startPool(init safejs.Value) (*pool.Pool, bool, error) {
	str := func(name string) string {
		v, _ := init.Get(name)
		s, _ := v.String()
		return s
	}
	module, err := init.Get("module")
	if err != nil {
		return nil, false, err
	}
	test := false
	if v, err := init.Get("test"); err == nil {
		test, _ = v.Bool()
	}
	size := 1
	if v, err := init.Get("size"); err == nil {
		if n, err := v.Int(); err == nil {
			size = n
		}
	}
	p := pool.New(pool.Boot{Module: module, Script: str("script"), Exec: str("exec"), Test: test}, size)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Ready(ctx); err != nil {
		p.Close()
		return nil, false, fmt.Errorf("web workers: %w", err)
	}
	return p, test, nil
}

// coordinatorExports is the coordinator's API: "run" runs one strategy of
// a demo — whole inside the pool's first worker when it needs no remote
// workers (the one-thread lesson), or here, dispatching its tasks to the
// pool — emitting each delivered task; "status" tells the pool's state;
// with test, "fail" arms a CPU worker's crash for the page's tests.
func coordinatorExports(p *pool.Pool, platform report.Platform, test bool) protocol.Exports {
	exports := protocol.Exports{
		protocol.ExportRun: runHandler(browserRunner, platform, p),
		protocol.ExportStatus: func(context.Context, json.RawMessage, func(any)) (any, error) {
			return p.Status(), nil
		},
	}
	if test {
		exports[protocol.ExportFail] = func(_ context.Context, body json.RawMessage, _ func(any)) (any, error) {
			var n int
			if err := json.Unmarshal(body, &n); err != nil {
				return nil, fmt.Errorf("fail: %w", err)
			}
			p.Fail(n)
			return nil, nil
		}
	}
	return exports
}
