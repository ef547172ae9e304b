// Package worker is the Go program inside each of the page's Web Workers:
// Main is an export table — "do" runs a remote.Request for the pool, "run"
// runs one strategy of a demo right here — and a wait. One worker is one Go
// instance, one thread: the strategies that need no remote pool run inside
// it, which is the lesson (goroutines take turns there, as Python threads
// do under the GIL).
//
// The page and its workers run the same wasm binary (wasm/app), compiled
// once: it calls Main when it finds itself in a worker. Two binaries would
// each carry core, net/http and the runtime, doubling the first download.
package worker

import (
	"context"
	"encoding/json"
	"fmt"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/core/workload"
)

// exports is the worker's API.
func exports(platform report.Platform) protocol.Exports {
	runner := workload.Runner{}
	return protocol.Exports{
		protocol.ExportDo:  protocol.DoHandler(runner),
		protocol.ExportRun: runHandler(runner, platform),
	}
}

// runHandler runs one strategy of a demo in this worker, emitting each task
// (a report.Task) as it is delivered, and answers with the report.Run.
func runHandler(runner workload.Runner, platform report.Platform) protocol.Handler {
	return func(ctx context.Context, body json.RawMessage, emit func(any)) (any, error) {
		var req protocol.RunRequest
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		cfg, err := demo.Parse(req.Values)
		if err != nil {
			return nil, err
		}
		env := demo.Env{
			Platform:   platform,
			Runner:     runner,
			TargetBase: req.TargetBase,
			OnTask:     func(_ string, t report.Task) { emit(t) },
		}
		return demo.RunOne(ctx, env, cfg, req.Strategy)
	}
}
