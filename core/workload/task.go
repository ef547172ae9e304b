package workload

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// A TaskFunc is a user's task, the task API (a contract): task i of n,
// 0 ≤ i < n, gives back a value, any string; when every task's value is a
// decimal integer the run's result is their exact sum, beyond 64 bits. ctx
// is done when the run is stopped or its deadline passes: a task that
// looks at it stops early. One that does not is cut all the same: in
// another process or Web Worker its worker is stopped, and in this Go
// instance the run goes on without it (see runTask). A task that panics
// fails alone, with the panic's text; a panic in a goroutine the task
// starts itself ends its Go instance, as it would any Go program.
//
// Users write it as one Go file of package task:
//
//	func Task(ctx context.Context, i, n int) (string, error)
type TaskFunc func(ctx context.Context, i, n int) (string, error)

// MaxTaskValue is the longest value a task may give back, in bytes: a
// longer one fails the task. It keeps a task's value a value, not a
// stream through the workers' messages.
const MaxTaskValue = 4 << 10

// ErrNoTask fails a KindTask spec in a program that registered no task.
var ErrNoTask = errors.New("workload: no task in this program: your own task runs in a build of it (lanes run --task FILE.go, or the page's editor)")

var task atomic.Pointer[TaskFunc]

// SetTask registers f as the task that KindTask specs run, in this Go
// instance. A program built around a user's task calls it first thing in
// main, before it serves or runs anything; nil unregisters.
func SetTask(f TaskFunc) {
	if f == nil {
		task.Store(nil)
		return
	}
	task.Store(&f)
}

// HasTask reports whether a task is registered.
func HasTask() bool { return task.Load() != nil }

// runTask runs the registered task for s. The task runs in a goroutine of
// its own, so that a task that never looks at ctx cannot hold its lane
// past the run's end: when ctx is done first, runTask returns at once with
// the cause, and the task is left to finish, or to run until its Go
// instance ends (natively, the command's process; a Web Worker is
// terminated by its pool).
func runTask(ctx context.Context, s Spec) (Output, error) {
	f := task.Load()
	if f == nil {
		return Output{}, ErrNoTask
	}
	if s.N < 1 || s.I < 0 || s.I >= s.N {
		return Output{}, fmt.Errorf("task %d of %d: want 0 ≤ i < n", s.I, s.N)
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := Safely(func() (string, error) { return (*f)(ctx, s.I, s.N) })
		done <- result{v, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		select {
		case r = <-done: // it ended as the run did
		default:
			return Output{}, fmt.Errorf("%w; the task had not returned, and was left running: does it look at ctx?", context.Cause(ctx))
		}
	}
	if r.err != nil {
		return Output{}, r.err
	}
	if len(r.v) > MaxTaskValue {
		return Output{}, fmt.Errorf("task %d: a value of %d bytes; at most %d", s.I, len(r.v), MaxTaskValue)
	}
	return Output{Value: r.v}, nil
}
