// Package remote runs tasks on workers outside this Go instance: OS
// processes natively (multiprocessing's lesson) and Web Workers in the
// browser. Both speak the same messages — a Request of specs, answered by one
// Response — so the strategies that use a Pool never know which they have.
package remote

import (
	"context"
	"time"

	"lanes/core/workload"
)

// A Pool is a fixed set of lanes, numbered 0 to Size()-1, each a worker that
// runs one request at a time.
type Pool interface {
	// Size is the number of lanes.
	Size() int
	// Do sends specs to the lane's worker and waits for their results, in
	// order. When ctx is done first, the pool stops the worker (its work
	// cannot be interrupted any other way), replaces it for the next call
	// and returns ctx.Err(). A worker that dies fails the call with an
	// error and is replaced.
	Do(ctx context.Context, lane int, specs []workload.Spec) ([]Result, error)
	// Close stops every worker.
	Close() error
}

// A Request asks a worker to run Specs one after another.
type Request struct {
	ID    uint64          `json:"id"`
	Specs []workload.Spec `json:"specs"`
}

// A Response answers the Request with the same ID, one Result per spec.
type Response struct {
	ID      uint64   `json:"id"`
	Results []Result `json:"results"`
}

// A Result is one spec's outcome. StartMs and EndMs are measured by the
// worker from the moment it received the request.
type Result struct {
	Output  workload.Output `json:"output"`
	Error   string          `json:"error,omitempty"`
	StartMs float64         `json:"start_ms"`
	EndMs   float64         `json:"end_ms"`
}

// Handle runs req's specs with runner and returns the response. A panicking
// spec fails alone with the panic's text, like any task in Lanes.
func Handle(ctx context.Context, runner workload.Runner, req Request) Response {
	start := time.Now()
	resp := Response{ID: req.ID, Results: make([]Result, len(req.Specs))}
	for i, s := range req.Specs {
		r := &resp.Results[i]
		r.StartMs = sinceMs(start)
		out, err := RunSafely(ctx, runner, s)
		r.Output = out
		if err != nil {
			r.Error = err.Error()
		}
		r.EndMs = sinceMs(start)
	}
	return resp
}

// RunSafely runs s, turning a panic into an error (workload.Safely).
func RunSafely(ctx context.Context, runner workload.Runner, s workload.Spec) (workload.Output, error) {
	return workload.Safely(func() (workload.Output, error) { return runner.Run(ctx, s) })
}

func sinceMs(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}
