package strategy_test

import (
	"context"
	"errors"
	"lanes/core/internal/exact"
	"math/big"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// localPool is a remote.Pool whose lanes run requests in this process with
// remote.Handle, the same code a worker process or Web Worker runs. It
// fails the test if a strategy sends two requests to one lane at once.
type localPool struct {
	t      *testing.T
	runner workload.Runner
	busy   []sync.Mutex
	// fail, if set, makes Do on a lane fail without running anything.
	fail func(lane int) error
}

func newLocalPool(t *testing.T, size int, runner workload.Runner) *localPool {
	return &localPool{t: t, runner: runner, busy: make([]sync.Mutex, size)}
}

func (p *localPool) Size() int { return len(p.busy) }

func (p *localPool) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	if !p.busy[lane].TryLock() {
		p.t.Errorf("lane %d given a second request while busy", lane)
		return nil, errors.New("lane busy")
	}
	defer p.busy[lane].Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.fail != nil {
		if err := p.fail(lane); err != nil {
			return nil, err
		}
	}
	resp := remote.Handle(ctx, p.runner, remote.Request{Specs: specs})
	if err := ctx.Err(); err != nil {
		return nil, err // as a real pool does: the worker is stopped
	}
	return resp.Results, nil
}

func (p *localPool) Close() error { return nil }

// sumsqTasks cuts [0, size) into n contiguous sum-of-squares tasks.
func sumsqTasks(size uint64, n int) []strategy.Task {
	tasks := make([]strategy.Task, n)
	for k := range tasks {
		lo, hi := size*uint64(k)/uint64(n), size*uint64(k+1)/uint64(n)
		tasks[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: workload.KindSumSquares, Lo: lo, Hi: hi}}
	}
	return tasks
}

// options returns options for id with k workers, local runner r, and a
// local pool for the remote strategies.
func options(t *testing.T, id string, k int, r workload.Runner) strategy.Options {
	opt := strategy.Options{K: k, Chunk: 2, Runner: r}
	if strategy.UsesRemote(id) {
		opt.Remote = newLocalPool(t, k, r)
	}
	return opt
}

// delivered runs id and also returns the tasks in the order OnDeliver saw
// them.
func delivered(ctx context.Context, id string, tasks []strategy.Task, opt strategy.Options) (report.Run, []report.Task) {
	var got []report.Task
	opt.OnDeliver = func(t report.Task) { got = append(got, t) } // called from one goroutine
	run := strategy.Run(ctx, id, tasks, opt)
	return run, got
}

// checkTimeline checks what holds for every run: one record per task with
// its id; times ordered within the run; each task delivered exactly once,
// with its phases whole (report.Run.CheckPhases), a cut task's ending in
// cancelled; the lanes the strategy promises, never running two tasks at
// once.
func checkTimeline(t *testing.T, id string, k int, tasks []strategy.Task, run report.Run, order []report.Task) {
	t.Helper()
	require.Len(t, run.Tasks, len(tasks))
	require.Len(t, order, len(tasks), "every task delivered once")
	assert.Empty(t, run.CheckPhases())
	assert.Empty(t, report.Run{Strategy: "as delivered", Tasks: order}.CheckPhases())
	for _, rec := range run.Tasks {
		require.NotEmpty(t, rec.Phases, "task %d", rec.ID)
		stopped := strings.Contains(rec.Error, context.DeadlineExceeded.Error()) || strings.Contains(rec.Error, context.Canceled.Error())
		assert.Equal(t, stopped, lastOnLane(rec) == report.StateCancelled, "task %d (%q): phases %v", rec.ID, rec.Error, rec.Phases)
	}
	seen := map[int]bool{}
	for _, d := range order {
		assert.False(t, seen[d.ID], "task %d delivered twice", d.ID)
		seen[d.ID] = true
	}
	wantWorkers := k
	switch id {
	case strategy.Sequential:
		wantWorkers = 1
	case strategy.Goroutines, strategy.Hybrid:
		wantWorkers = len(tasks)
	}
	assert.Equal(t, wantWorkers, run.Lanes)
	assert.Equal(t, id, run.Strategy)
	for i, rec := range run.Tasks {
		assert.Equal(t, tasks[i].ID, rec.ID)
		assert.LessOrEqual(t, 0.0, rec.StartMs, "task %d", i)
		assert.LessOrEqual(t, rec.StartMs, rec.EndMs, "task %d", i)
		assert.LessOrEqual(t, rec.EndMs, rec.DeliveredMs, "task %d", i)
		assert.LessOrEqual(t, rec.DeliveredMs, run.WallMs, "task %d", i)
		if rec.Error != "" && rec.Lane == -1 {
			continue // never started
		}
		switch id {
		case strategy.Goroutines, strategy.Hybrid:
			assert.Equal(t, i, rec.Lane, "task %d has a lane of its own", i)
		case strategy.Partition:
			assert.Equal(t, i%k, rec.Lane, "task %d", i)
		case strategy.Sequential:
			assert.Equal(t, 0, rec.Lane)
		default:
			assert.True(t, rec.Lane >= 0 && rec.Lane < k, "task %d on lane %d of %d", i, rec.Lane, k)
		}
	}
	if id == strategy.Goroutines || id == strategy.Hybrid {
		return
	}
	byLane := map[int][]report.Task{}
	for _, rec := range run.Tasks {
		if id == strategy.Chunked && rec.Error != "" {
			// A failed chunk's tasks all span its one message: which of
			// them was running when it failed is not known.
			continue
		}
		if rec.Lane >= 0 {
			byLane[rec.Lane] = append(byLane[rec.Lane], rec)
		}
	}
	for lane, recs := range byLane {
		sort.Slice(recs, func(a, b int) bool { return recs[a].StartMs < recs[b].StartMs })
		for j := 1; j < len(recs); j++ {
			assert.GreaterOrEqual(t, recs[j].StartMs, recs[j-1].EndMs,
				"lane %d runs tasks %d and %d at once", lane, recs[j-1].ID, recs[j].ID)
		}
	}
}

// lastOnLane is the state of the task's last phase before its delivery.
func lastOnLane(rec report.Task) string {
	ps := rec.Phases
	if n := len(ps); n > 1 && ps[n-1].State == report.StateUndelivered {
		ps = ps[:n-1]
	}
	return ps[len(ps)-1].State
}

// checkValues checks that finished tasks hold exact sums, cut ones say why,
// and the run's result is the total of what finished.
func checkValues(t *testing.T, tasks []strategy.Task, run report.Run) (finished int) {
	t.Helper()
	total := new(big.Int)
	for i, rec := range run.Tasks {
		if rec.Error != "" {
			assert.Empty(t, rec.Value, "task %d failed but has a value", i)
			continue
		}
		finished++
		want := exact.SumSquaresRange(tasks[i].Spec.Lo, tasks[i].Spec.Hi)
		assert.Equal(t, want.String(), rec.Value, "task %d", i)
		total.Add(total, want)
	}
	assert.Equal(t, total.String(), run.Result)
	assert.Equal(t, finished < len(tasks), run.Partial)
	return finished
}

// panicClient is a workload.Client that panics: a download task whose
// code blows up.
type panicClient struct{}

func (panicClient) Get(context.Context, string) (*workload.Response, error) {
	panic("transport exploded")
}
