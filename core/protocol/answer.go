package protocol

import (
	"fmt"
	"slices"

	"lanes/core/report"
)

// A RunAnswer answers an ExportRun call whose RunRequest asked for
// Streamed: the caller kept the tasks the call's events carried, so the
// answer does not repeat them. Order is the IDs of all of Run's tasks, in
// the run's order; Run.Tasks holds only the tasks the events did not
// carry as they are (a task never delivered, or one the run changed
// after). A run of 10,000 tasks sent them all twice, and decoding the
// second copy held the page's main thread for half a second.
type RunAnswer struct {
	Run   report.Run `json:"run"`
	Order []int      `json:"order"`
}

// Compact is the RunAnswer to a Streamed request for run, whose events
// carried sent (each task's last event, by ID). A run whose task IDs are
// not unique cannot be told apart by them: its answer holds every task.
func Compact(run report.Run, sent map[int]report.Task) RunAnswer {
	a := RunAnswer{Run: run, Order: make([]int, 0, len(run.Tasks))}
	a.Run.Tasks = nil
	seen := make(map[int]bool, len(run.Tasks))
	for _, t := range run.Tasks {
		if seen[t.ID] {
			return RunAnswer{Run: run, Order: nil}
		}
		seen[t.ID] = true
		a.Order = append(a.Order, t.ID)
		if s, ok := sent[t.ID]; !ok || !sameTask(s, t) {
			a.Run.Tasks = append(a.Run.Tasks, t)
		}
	}
	if a.Run.Tasks == nil {
		a.Run.Tasks = []report.Task{}
	}
	return a
}

// Whole is the run a RunAnswer stands for, its tasks taken from Run.Tasks
// or, for the others, from streamed (the tasks of the call's events, each
// ID's last). An answer without Order holds every task already.
func (a RunAnswer) Whole(streamed map[int]report.Task) (report.Run, error) {
	if a.Order == nil {
		return a.Run, nil
	}
	sent := make(map[int]report.Task, len(a.Run.Tasks))
	for _, t := range a.Run.Tasks {
		sent[t.ID] = t
	}
	run := a.Run
	run.Tasks = make([]report.Task, 0, len(a.Order))
	for _, id := range a.Order {
		t, ok := sent[id]
		if !ok {
			if t, ok = streamed[id]; !ok {
				return report.Run{}, fmt.Errorf("protocol: task %d of the answer was neither sent nor streamed", id)
			}
		}
		run.Tasks = append(run.Tasks, t)
	}
	return run, nil
}

// sameTask reports whether a and b are the same task, as reflect.DeepEqual
// does: with it, Compact took 8% of a wasm worker's time for a run of
// 10,000 goroutines (a profile under Node).
func sameTask(a, b report.Task) bool {
	return a.ID == b.ID && a.Lane == b.Lane && a.StartMs == b.StartMs && a.EndMs == b.EndMs &&
		a.DeliveredMs == b.DeliveredMs && a.Bytes == b.Bytes && a.Value == b.Value &&
		a.Error == b.Error && a.LatencyMs == b.LatencyMs &&
		(a.Phases == nil) == (b.Phases == nil) && slices.Equal(a.Phases, b.Phases)
}
