package report_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestEnter(t *testing.T) {
	ps := report.Enter(nil, report.StateQueued, 0)
	ps = report.Enter(ps, report.StateIOWait, 2)
	ps = report.Enter(ps, report.StateIOWait, 3) // still waiting: no new phase
	ps = report.Enter(ps, report.StateTransfer, 5)
	ps = report.Enter(ps, report.StateCompute, 4) // before transfer began: taken as its beginning
	report.EndPhases(ps, 9)
	assert.Equal(t, []report.Phase{
		{State: report.StateQueued, StartMs: 0, EndMs: 2},
		{State: report.StateIOWait, StartMs: 2, EndMs: 5},
		{State: report.StateTransfer, StartMs: 5, EndMs: 5},
		{State: report.StateCompute, StartMs: 5, EndMs: 9},
	}, ps)
	report.EndPhases(nil, 1) // nothing to end
}

// phased is a task on the lane from 10 to 20 ms, delivered at 25 ms, with the
// phases given as state, start pairs; the last ends at 25 ms.
func phased(lane int, states ...any) report.Task {
	t := report.Task{ID: 7, Lane: lane, StartMs: 10, EndMs: 20, DeliveredMs: 25}
	for i := 0; i < len(states); i += 2 {
		t.Phases = append(t.Phases, report.Phase{State: states[i].(string), StartMs: float64(states[i+1].(int))})
		if i > 0 {
			t.Phases[i/2-1].EndMs = t.Phases[i/2].StartMs
		}
	}
	if n := len(t.Phases); n > 0 {
		t.Phases[n-1].EndMs = 25
	}
	return t
}

func TestCheckPhases(t *testing.T) {
	const (
		q, p, d, io, tr = report.StateQueued, report.StatePermit, report.StateDispatch, report.StateIOWait, report.StateTransfer
		c, l, u, x      = report.StateCompute, report.StateLock, report.StateUndelivered, report.StateCancelled
	)
	good := []struct {
		name string
		task report.Task
	}{
		{"no phases (a first-version report)", phased(0)},
		{"queued, computing, undelivered", phased(0, q, 0, c, 10, u, 20)},
		{"every state in its place", phased(0, q, 0, p, 5, io, 10, tr, 12, c, 14, l, 16, x, 18, u, 20)},
		{"a remote task handed over before its worker began it", phased(0, q, 0, d, 8, c, 10, u, 20)},
		{"the hybrid hands over on its lane", phased(0, q, 0, io, 10, d, 12, c, 15, u, 20)},
		{"never started: queued, then cancelled for no time", func() report.Task {
			t := phased(-1, q, 0, x, 20, u, 20)
			t.StartMs = 20
			return t
		}()},
	}
	for _, g := range good {
		t.Run(g.name, func(t *testing.T) {
			run := report.Run{Strategy: "pool", Tasks: []report.Task{g.task}}
			assert.Empty(t, run.CheckPhases())
		})
	}

	bad := []struct {
		name, says string
		task       report.Task
	}{
		{"an unknown state", "unknown state", phased(0, q, 0, "napping", 10, u, 20)},
		{"not from 0", "not at 0", phased(0, q, 1, c, 10, u, 20)},
		{"a gap", "a gap or an overlap", func() report.Task {
			t := phased(0, q, 0, c, 10, u, 20)
			t.Phases[1].StartMs = 11
			return t
		}()},
		{"an overlap", "a gap or an overlap", func() report.Task {
			t := phased(0, q, 0, c, 10, u, 20)
			t.Phases[2].StartMs = 19
			return t
		}()},
		{"ending before it begins", "ends before it begins", func() report.Task {
			t := phased(0, q, 0, c, 10, u, 20)
			t.Phases[1].EndMs = 9
			t.Phases[2].StartMs = 9
			return t
		}()},
		{"not to delivery", "not at 25.000", func() report.Task {
			t := phased(0, q, 0, c, 10, u, 20)
			t.Phases[2].EndMs = 24
			return t
		}()},
		{"queued on the lane", "out of its place", phased(0, q, 0, c, 12, u, 20)},
		{"a permit wait on the lane", "out of its place", phased(0, q, 0, p, 5, c, 11, u, 20)},
		{"computing before the lane took it", "out of its place", phased(0, q, 0, c, 9, u, 20)},
		{"computing after the end", "out of its place", phased(0, q, 0, c, 10, u, 21)},
		{"undelivered before the end", "out of its place", phased(0, q, 0, c, 10, u, 19)},
		{"dispatch after the end", "out of its place", phased(0, q, 0, c, 10, d, 20, u, 22)},
		{"work after cancelled", "follows cancelled", phased(0, q, 0, x, 10, c, 15, u, 20)},
		{"never started, yet computing", "never started", func() report.Task {
			t := phased(-1, q, 0, c, 10, u, 20)
			return t
		}()},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			run := report.Run{Strategy: "pool", Tasks: []report.Task{b.task}}
			found := run.CheckPhases()
			if assert.Len(t, found, 1) {
				assert.Contains(t, found[0], "pool: task 7: ")
				assert.Contains(t, found[0], b.says)
			}
		})
	}

	t.Run("a few findings a run", func(t *testing.T) {
		run := report.Run{Strategy: "pool"}
		for range 12 {
			run.Tasks = append(run.Tasks, phased(0, q, 1, c, 10, u, 20))
		}
		found := run.CheckPhases()
		assert.Len(t, found, 6)
		assert.Contains(t, found[5], "and 7 more tasks")
	})
}

func TestPhasesOf(t *testing.T) {
	done := report.Task{Lane: 0, StartMs: 2, EndMs: 5, DeliveredMs: 6}
	assert.Equal(t, []report.Phase{
		{State: report.StateQueued, StartMs: 0, EndMs: 2},
		{State: report.StateCompute, StartMs: 2, EndMs: 5},
		{State: report.StateUndelivered, StartMs: 5, EndMs: 6},
	}, report.PhasesOf(done))
	failed := report.Task{Lane: 0, StartMs: 2, EndMs: 5, DeliveredMs: 5, Error: "context canceled"}
	assert.Equal(t, report.StateCancelled, report.PhasesOf(failed)[1].State)
	own := phased(0, report.StateQueued, 0, report.StateLock, 10, report.StateUndelivered, 20)
	assert.Equal(t, own.Phases, report.PhasesOf(own), "its own phases when it has them")
	for _, tk := range []report.Task{done, failed} {
		tk.Phases = report.PhasesOf(tk)
		assert.Empty(t, report.Run{Tasks: []report.Task{tk}}.CheckPhases(), fmt.Sprint(tk))
	}
}

func TestCutTasksArePhased(t *testing.T) {
	delivered := []report.Task{phased(0, report.StateQueued, 0, report.StateCompute, 10, report.StateUndelivered, 20)}
	delivered[0].ID = 0
	run := report.Cut("pool", 2, 3, delivered, 30, context.Canceled)
	assert.Empty(t, run.CheckPhases())
	for _, tk := range run.Tasks[1:] {
		assert.Equal(t, []report.Phase{
			{State: report.StateQueued, StartMs: 0, EndMs: 30},
			{State: report.StateCancelled, StartMs: 30, EndMs: 30},
		}, tk.Phases)
	}
}

// TestOnLane: a task is off its lane only while queued, waiting for its
// permit or waiting to be delivered; an unknown state is on no lane.
func TestOnLane(t *testing.T) {
	var off []string
	for _, s := range report.States {
		if !report.OnLane(s) {
			off = append(off, s)
		}
	}
	assert.Equal(t, []string{report.StateQueued, report.StatePermit, report.StateUndelivered}, off)
	assert.False(t, report.OnLane("sleeping"))
}
