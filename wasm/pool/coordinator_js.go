package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"lanes/core/protocol"
	"lanes/core/report"
)

// A Coordinator is the page's one Web Worker: it runs each strategy —
// whole inside one of its CPU workers, or dispatching tasks to all of them —
// and only posts the delivered tasks and the finished run to the page. So a
// render on the page's main thread never stands between a worker and its
// next task. It is replaced on the next call when it has died.
type Coordinator struct {
	boot Boot
	size int

	mu     sync.Mutex
	w      *worker
	closed bool
}

// NewCoordinator starts the coordinator with a pool of size CPU workers.
func NewCoordinator(boot Boot, size int) *Coordinator {
	c := &Coordinator{boot: boot, size: size}
	_, _ = c.current() // a failure shows in Ready, and the next call tries again
	return c
}

// current returns the coordinator's worker, starting a new one first if
// there is none or it is gone.
func (c *Coordinator) current() (*worker, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.w != nil && c.w.alive() {
		return c.w, nil
	}
	if c.closed {
		return nil, errors.New("coordinator: closed")
	}
	w, err := spawn(c.boot, protocol.RoleCoordinator, c.size)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	w.cancels = true
	c.w = w
	return w, nil
}

// Ready waits until the coordinator and its pool listen, and returns why
// not when they cannot start.
func (c *Coordinator) Ready(ctx context.Context) error {
	w, err := c.current()
	if err != nil {
		return err
	}
	select {
	case <-w.ready:
		return nil
	case <-w.gone:
		return w.why()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run runs one strategy of a demo, calling onTask (from one goroutine) as
// each task is delivered. When ctx is done first, the run is cancelled:
// the coordinator stops the workers busy with it, keeps the pool whole,
// and Run returns ctx.Err(), with the partial run when there is one.
func (c *Coordinator) Run(ctx context.Context, req protocol.RunRequest, onTask func(report.Task)) (report.Run, error) {
	w, err := c.current()
	if err != nil {
		return report.Run{}, err
	}
	req.Streamed = true
	// The tasks streamed, by ID: a map of 10,000 grew and was looked up
	// for 16 ms and more of the page's main thread.
	var streamed report.ByID[report.Task]
	if n, ok := req.Tasks(); ok {
		streamed.Expect(n) // they come in the order they end, not by ID
	}
	out, err := w.call(ctx, protocol.ExportRun, req, func(body json.RawMessage) {
		var t report.Task
		if t.UnmarshalJSON(body) == nil { // not json.Unmarshal, which goes over the body twice more first
			streamed.Put(t.ID, t)
			if onTask != nil {
				onTask(t)
			}
		}
	})
	if err != nil {
		return report.Run{}, err
	}
	var answer protocol.RunAnswer
	if err := answer.UnmarshalJSON(out); err != nil { // not json.Unmarshal, which scans the answer first
		return report.Run{}, fmt.Errorf("worker answer: %w", err)
	}
	run, err := answer.Whole(&streamed)
	if err != nil {
		return report.Run{}, fmt.Errorf("worker answer: %w", err)
	}
	if ctx.Err() != nil {
		return run, ctx.Err()
	}
	return run, nil
}

// Status asks the coordinator for its pool's state.
func (c *Coordinator) Status(ctx context.Context) (protocol.Status, error) {
	var st protocol.Status
	w, err := c.current()
	if err != nil {
		return st, err
	}
	out, err := w.call(ctx, protocol.ExportStatus, nil, nil)
	if err == nil {
		err = json.Unmarshal(out, &st)
	}
	return st, err
}

// Fail arms CPU worker n to crash on its next call, for the tests of
// crash recovery.
func (c *Coordinator) Fail(ctx context.Context, n int) error {
	w, err := c.current()
	if err != nil {
		return err
	}
	_, err = w.call(ctx, protocol.ExportFail, n, nil)
	return err
}

// Close stops the coordinator and, with it, its CPU workers (a Web
// Worker's own workers end with it); its calls fail, and it is not
// started again.
func (c *Coordinator) Close() {
	c.mu.Lock()
	w := c.w
	c.w, c.closed = nil, true
	c.mu.Unlock()
	if w != nil {
		w.terminate(errors.New("coordinator closed"))
	}
}
