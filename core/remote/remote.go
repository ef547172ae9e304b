// Package remote runs tasks on workers outside this Go instance: OS
// processes natively (multiprocessing's lesson) and Web Workers in the
// browser. Both speak the same messages — a Request of specs, answered by one
// Response — so the strategies that use a Pool never know which they have.
package remote

import (
	"context"
	"math"
	"time"

	"lanes/core/report"
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
		r.StartMs = report.MsSince(start)
		out, err := RunSafely(ctx, runner, s)
		r.Output = out
		if err != nil {
			r.Error = err.Error()
		}
		r.EndMs = report.MsSince(start)
	}
	return resp
}

// RunSafely runs s, turning a panic into an error (workload.Safely).
func RunSafely(ctx context.Context, runner workload.Runner, s workload.Spec) (workload.Output, error) {
	return workload.Safely(func() (workload.Output, error) { return runner.Run(ctx, s) })
}

// Err is the result's error as a Go error, or nil: the text a worker sent
// back, which the task's record shows as it was.
func (r Result) Err() error {
	if r.Error == "" {
		return nil
	}
	return workerError(r.Error)
}

// workerError is an error that happened in a worker, kept as its text.
type workerError string

func (e workerError) Error() string { return string(e) }

// Place puts results, timed by a worker from the moment it received the
// request, on the caller's clock, which read sent when the request went
// and got when the answer came: the batch ends when its answer arrived,
// and what came before the worker started — a process starting, the
// message on its way — shows as a wait before its first task, not as its
// work. Times are rounded to the microsecond, the clock's resolution,
// and none is before sent or after got.
func Place(results []Result, sent, got float64) {
	var last float64
	for _, res := range results {
		last = max(last, res.EndMs)
	}
	base := max(sent, got-last)
	for i := range results {
		r := &results[i]
		r.StartMs = min(toMicro(base+r.StartMs), got)
		r.EndMs = min(toMicro(base+r.EndMs), got)
	}
}

// toMicro rounds milliseconds to the microsecond.
func toMicro(ms float64) float64 { return math.Round(ms*1000) / 1000 }
