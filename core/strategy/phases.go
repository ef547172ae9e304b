package strategy

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"lanes/core/report"
	"lanes/core/workload"
)

// The recorder writes each task's phases (report.Task.Phases) as the run
// goes, on the run's clock:
//
//   - queued from submission (0) until a lane takes the task, or until its
//     goroutine asks for a permit, and then permit until it has one;
//   - on a remote lane, dispatch from the moment its message went until
//     its worker began it (the first task of a chunk: the others wait
//     queued behind it, in the worker);
//   - then what its work recorded (workload.Output.Phases), placed from
//     when the work began and kept within the lane's span, or its kind's
//     one state when it recorded nothing (stateOf);
//   - a task that failed once the run was stopped was cut: cancelled from
//     the stop (the deadline, or when the recorder heard of Stop) until its
//     lane let it go, and what its work recorded after the stop is
//     dropped. A task that never started stays queued (or waiting for its
//     permit) until the run gives it up, which is its StartMs = EndMs,
//     then is cancelled for no time there;
//   - undelivered from its end until its delivery, when that is later.
//
// Recording costs a few hundred nanoseconds a task (BenchmarkRecorder).

// recordPhases is false only in the benchmark that measures what
// recording phases costs.
var recordPhases = true

// phasesPerTask is the room set aside for each task's phases in one
// allocation for the run: queued, one or two before the work, two or
// three of it, undelivered. A task that needs more grows its own.
const phasesPerTask = 6

// startPhases gives every task its first phase, queued from 0.
func (r *recorder) startPhases() {
	if !recordPhases {
		return
	}
	room := make([]report.Phase, len(r.recs)*phasesPerTask)
	for i := range r.recs {
		ps := room[i*phasesPerTask : i*phasesPerTask : (i+1)*phasesPerTask]
		r.recs[i].Phases = report.Enter(ps, report.StateQueued, 0)
	}
}

// enter records that task i is in state from ms on.
func (r *recorder) enter(i int, state string, ms float64) {
	if recordPhases {
		r.recs[i].Phases = report.Enter(r.recs[i].Phases, state, ms)
	}
}

// worked enters the phases of task i's work, which were timed from its
// start, from, and which ended by to: each is placed on the run's clock,
// to the microsecond, within [from, to]. The first begins at from. Work
// that recorded nothing was in its kind's state (stateOf) throughout.
func (r *recorder) worked(i int, phases []report.Phase, from, to float64, kind workload.Kind) {
	if len(phases) == 0 {
		r.enter(i, stateOf(kind), from)
		return
	}
	for j, p := range phases {
		at := from
		if j > 0 {
			at = min(max(micro(from+p.StartMs), from), to)
		}
		r.enter(i, p.State, at)
	}
}

// stateOf is the state of work of a kind that recorded no phases: a wait
// or a download waits on I/O, the rest computes (a task's own Do function
// as well).
func stateOf(kind workload.Kind) string {
	switch kind {
	case workload.KindWait, workload.KindFetch, workload.KindFetchHash:
		return report.StateIOWait
	}
	return report.StateCompute
}

// cut records that task i, settled at its EndMs, was stopped with the
// run: cancelled from the stop, or from its start when it began after.
func (r *recorder) cut(ctx context.Context, i int) {
	if !recordPhases {
		return
	}
	rec := &r.recs[i]
	at := min(max(r.stop.at(ctx, r.start), rec.StartMs), rec.EndMs)
	ps := rec.Phases
	for len(ps) > 1 && ps[len(ps)-1].StartMs > at {
		ps = ps[:len(ps)-1]
	}
	rec.Phases = report.Enter(ps, report.StateCancelled, at)
}

// delivered ends task i's phases at its delivery: undelivered from its end,
// when that is later.
func (r *recorder) delivered(i int) {
	if !recordPhases {
		return
	}
	rec := &r.recs[i]
	if rec.DeliveredMs > rec.EndMs {
		rec.Phases = report.Enter(rec.Phases, report.StateUndelivered, rec.EndMs)
	}
	report.EndPhases(rec.Phases, rec.DeliveredMs)
}

// A stopClock remembers when a run's context was done.
type stopClock struct {
	mu   sync.Mutex
	when time.Time // zero until it is heard of
}

// watch starts listening for ctx's end; the function it returns stops
// listening.
func (s *stopClock) watch(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.when = time.Now()
	})
}

// at is when ctx was done, in ms from start: its deadline when that is
// what ended it, or else when the stop was heard of (now, if it has not
// been yet).
func (s *stopClock) at(ctx context.Context, start time.Time) float64 {
	if d, ok := ctx.Deadline(); ok && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return max(report.Ms(d.Sub(start)), 0)
	}
	s.mu.Lock()
	when := s.when
	s.mu.Unlock()
	if when.IsZero() {
		when = time.Now()
	}
	return report.Ms(when.Sub(start))
}

// micro rounds ms to the microsecond, a report's resolution.
func micro(ms float64) float64 { return math.Round(ms*1000) / 1000 }
