package strategy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// states lists the task's phases' states.
func states(rec report.Task) []string {
	var s []string
	for _, p := range rec.Phases {
		s = append(s, p.State)
	}
	return s
}

// stateMs is how long the task spent in state.
func stateMs(rec report.Task, state string) float64 {
	ms := 0.0
	for _, p := range rec.Phases {
		if p.State == state {
			ms += p.EndMs - p.StartMs
		}
	}
	return ms
}

// phase returns the task's first phase in state, failing the test if it
// has none.
func phase(t *testing.T, rec report.Task, state string) report.Phase {
	t.Helper()
	for _, p := range rec.Phases {
		if p.State == state {
			return p
		}
	}
	require.Failf(t, "no such phase", "task %d has no %s phase: %v", rec.ID, state, rec.Phases)
	return report.Phase{}
}

// The times below are floors (a timer never fires early), so each test
// holds however busy the machine is.

func TestQueuedUntilALaneIsFree(t *testing.T) {
	// One lane, three waits of 40 ms: the second waits one wait in the
	// queue, the third two.
	tasks := waitTasks(40*time.Millisecond, []int{1, 1, 1})
	run, order := delivered(context.Background(), strategy.Pool, tasks, options(t, strategy.Pool, 1, workload.Runner{}))
	checkTimeline(t, strategy.Pool, 1, tasks, run, order)
	for k, rec := range run.Tasks {
		assert.Equal(t, report.StateQueued, rec.Phases[0].State)
		assert.GreaterOrEqual(t, stateMs(rec, report.StateQueued), float64(k)*39, "task %d", k)
		assert.GreaterOrEqual(t, stateMs(rec, report.StateIOWait), 39.0, "task %d: its wait, on its lane", k)
	}
}

func TestSemaphoreShowsPermitWaits(t *testing.T) {
	// One permit, four tasks: three waited for it until another task had
	// ended. How long each waited also counts from when its goroutine
	// began, which a busy machine may delay past the first holder's start.
	tasks := waitTasks(40*time.Millisecond, []int{1, 1, 1, 1})
	run, order := delivered(context.Background(), strategy.Semaphore, tasks, options(t, strategy.Semaphore, 1, workload.Runner{}))
	checkTimeline(t, strategy.Semaphore, 1, tasks, run, order)
	var waited []float64
	behind := 0
	for _, rec := range run.Tasks {
		assert.Equal(t, []string{report.StateQueued, report.StatePermit, report.StateIOWait}, states(rec)[:3], "task %d", rec.ID)
		waited = append(waited, stateMs(rec, report.StatePermit))
		got := phase(t, rec, report.StatePermit).EndMs
		for _, other := range run.Tasks {
			if other.ID != rec.ID && got >= other.EndMs {
				behind++
				break
			}
		}
	}
	assert.Equal(t, 3, behind, "three had the permit only once another task had ended (waited %v)", waited)
}

func TestOrderedDeliveryHoldsResultsUndelivered(t *testing.T) {
	// Task 0 waits 200 ms, task 1 only 2 ms, on two lanes: delivered in
	// order, task 1's result waits behind task 0's.
	tasks := waitTasks(2*time.Millisecond, []int{100, 1})
	for _, ordered := range []bool{true, false} {
		opt := options(t, strategy.Pool, 2, workload.Runner{})
		opt.Ordered = ordered
		run, order := delivered(context.Background(), strategy.Pool, tasks, opt)
		checkTimeline(t, strategy.Pool, 2, tasks, run, order)
		held := stateMs(run.Tasks[1], report.StateUndelivered)
		if ordered {
			assert.Equal(t, report.StateUndelivered, run.Tasks[1].Phases[len(run.Tasks[1].Phases)-1].State)
			assert.GreaterOrEqual(t, held, 200-run.Tasks[1].EndMs, "ordered: held until task 0 ended")
		} else {
			assert.Less(t, held, 100.0, "as completed: handed on at once")
		}
	}
}

// remoteWork is a remote pool whose lanes answer after 60 ms, each spec
// 10 ms of work on the worker's clock: 4 ms waiting on I/O, 2 ms
// transferring, 4 ms computing.
type remoteWork struct{}

func (remoteWork) Size() int { return 2 }
func (remoteWork) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	time.Sleep(60 * time.Millisecond)
	res := make([]remote.Result, len(specs))
	for i := range res {
		res[i] = remote.Result{StartMs: float64(10 * i), EndMs: float64(10 * (i + 1)), Output: workload.Output{Value: "1", Phases: []report.Phase{
			{State: report.StateIOWait, StartMs: 0, EndMs: 4},
			{State: report.StateTransfer, StartMs: 4, EndMs: 6},
			{State: report.StateCompute, StartMs: 6, EndMs: 10},
		}}}
	}
	return res, nil
}
func (remoteWork) Close() error { return nil }

func TestRemotePhasesArePlaced(t *testing.T) {
	// The worker's phases, timed from its start, move with the task as
	// remote.Place puts it on the run's clock; the time before the worker
	// began is the first task's dispatch, and the second of a chunk waits
	// queued behind the first.
	tasks := sumsqTasks(100, 2)
	run, order := delivered(context.Background(), strategy.Chunked, tasks, strategy.Options{K: 1, Chunk: 2, Remote: remoteWork{}})
	checkTimeline(t, strategy.Chunked, 1, tasks, run, order)
	first, second := run.Tasks[0], run.Tasks[1]
	assert.Equal(t, []string{report.StateQueued, report.StateDispatch, report.StateIOWait, report.StateTransfer, report.StateCompute}, states(first)[:5])
	assert.Equal(t, []string{report.StateQueued, report.StateIOWait, report.StateTransfer, report.StateCompute}, states(second)[:4])
	assert.GreaterOrEqual(t, stateMs(first, report.StateDispatch), 39.0, "60 ms in Do, the last 20 the batch's work")
	for _, rec := range []report.Task{first, second} {
		assert.InDelta(t, rec.StartMs, phase(t, rec, report.StateIOWait).StartMs, 1e-9)
		assert.InDelta(t, rec.StartMs+4, phase(t, rec, report.StateTransfer).StartMs, 1e-9)
		assert.InDelta(t, rec.StartMs+6, phase(t, rec, report.StateCompute).StartMs, 1e-9)
		assert.InDelta(t, rec.EndMs, phase(t, rec, report.StateCompute).EndMs, 1e-9)
	}
	assert.InDelta(t, first.EndMs, phase(t, second, report.StateQueued).EndMs, 1e-9, "queued until the worker began it")
}

// runCut runs tasks with id, stopped by the context stop gives it: first
// after 60 ms, and on a machine too busy to begin the first task by then,
// ten times later, twice more. It returns the run and when, on the run's
// clock, the stop came: between from and to, which bracket the run's
// start as seen from outside (it began after the call, and its wall time
// ended before the return).
func runCut(t *testing.T, id string, k int, tasks []strategy.Task, stop func(time.Duration) (context.Context, time.Time)) (run report.Run, order []report.Task, from, to float64) {
	t.Helper()
	for after := 60 * time.Millisecond; ; after *= 10 {
		before := time.Now()
		ctx, at := stop(after)
		run, order = delivered(ctx, id, tasks, options(t, id, k, workload.Runner{}))
		end := time.Now()
		if run.Tasks[0].Lane >= 0 {
			return run, order, report.Ms(at.Sub(end)) + run.WallMs, report.Ms(at.Sub(before))
		}
		if after >= 6*time.Second {
			t.Fatalf("the first task never began before the stop %v in", after)
		}
		t.Logf("the first task began after the stop %v in: again, with more time", after)
	}
}

func TestCutTasksAreCancelled(t *testing.T) {
	// One lane, long waits, a deadline: the first is cut at the deadline,
	// the rest never start. When the deadline is, on the run's clock, is
	// known only within the run's start as seen from outside; on a quiet
	// machine that is within microseconds.
	tasks := waitTasks(time.Minute, []int{1, 1, 1})
	deadline := func(after time.Duration) (context.Context, time.Time) {
		ctx, cancel := context.WithTimeout(context.Background(), after)
		t.Cleanup(cancel)
		d, _ := ctx.Deadline()
		return ctx, d
	}
	for _, id := range []string{strategy.Pool, strategy.Workers} {
		t.Run(id, func(t *testing.T) {
			run, order, from, to := runCut(t, id, 1, tasks, deadline)
			checkTimeline(t, id, 1, tasks, run, order)
			first := run.Tasks[0]
			cut := phase(t, first, report.StateCancelled)
			assert.GreaterOrEqual(t, cut.StartMs, from-0.002, "cancelled from the deadline")
			assert.LessOrEqual(t, cut.StartMs, to+0.002, "cancelled from the deadline")
			assert.InDelta(t, first.EndMs, cut.EndMs, 1e-9, "until the lane let it go")
			wait := phase(t, first, report.StateIOWait)
			assert.InDelta(t, first.StartMs, wait.StartMs, 1e-9, "waiting from its start")
			assert.InDelta(t, cut.StartMs, wait.EndMs, 1e-9, "until then")
			for _, rec := range run.Tasks[1:] {
				assert.Equal(t, -1, rec.Lane)
				assert.Equal(t, []string{report.StateQueued, report.StateCancelled}, states(rec)[:2], "never started")
				assert.Equal(t, report.Phase{State: report.StateCancelled, StartMs: rec.StartMs, EndMs: rec.StartMs}, rec.Phases[1],
					"cancelled for no time, when the run gave it up")
			}
		})
	}
	t.Run("stopped", func(t *testing.T) {
		// Stop comes no sooner than its timer: the cut begins when the
		// recorder heard of it.
		stopped := func(after time.Duration) (context.Context, time.Time) {
			ctx, cancel := context.WithCancel(context.Background())
			at := time.Now().Add(after)
			time.AfterFunc(after, cancel)
			t.Cleanup(cancel)
			return ctx, at
		}
		run, order, from, _ := runCut(t, strategy.Goroutines, 1, tasks, stopped)
		checkTimeline(t, strategy.Goroutines, 3, tasks, run, order)
		for _, rec := range run.Tasks {
			if rec.Lane < 0 {
				continue // began after Stop: never started, which checkTimeline checked
			}
			cut := phase(t, rec, report.StateCancelled)
			assert.GreaterOrEqual(t, cut.StartMs, from-0.002, "task %d: cancelled from when Stop came", rec.ID)
			wait := phase(t, rec, report.StateIOWait)
			assert.InDelta(t, rec.StartMs, wait.StartMs, 1e-9, "task %d waited from its start", rec.ID)
			assert.InDelta(t, cut.StartMs, wait.EndMs, 1e-9, "task %d waited until then", rec.ID)
		}
	})
}
