package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// NotStarted is the error of a task that never started because the run
// was stopped by why (a nil why: the run ended without it).
func NotStarted(why error) string {
	if why == nil {
		return "not started: run ended"
	}
	return "not started: " + why.Error()
}

// Total sets the run's Result, Partial and Error from its tasks: the result
// is the sum of the values of the tasks that succeeded, the run is partial
// when any task failed, was cut or never started, and Error counts the
// failures and names the first that is not the run being stopped by stop
// (its context's error, or nil when it was not stopped). A task with
// neither a value nor an error failed. A value that is not a decimal
// integer (a user's task may give any string) is no failure, but then the
// values have no sum and Result is "".
func (r *Run) Total(stop error) {
	total := new(big.Int)
	failed := 0
	first := ""
	summable := true
	for _, t := range r.Tasks {
		if t.Error != "" || t.Value == "" {
			failed++
			if first == "" && !(stop != nil && strings.Contains(t.Error, stop.Error())) {
				first = fmt.Sprintf("task %d: %s", t.ID, cmp.Or(t.Error, "no value"))
			}
			continue
		}
		v, ok := new(big.Int).SetString(t.Value, 10)
		if !ok {
			summable = false
			continue
		}
		total.Add(total, v)
	}
	r.Result = total.String()
	if !summable {
		r.Result = ""
	}
	r.Partial = failed > 0
	r.Error = ""
	if first != "" {
		r.Error = fmt.Sprintf("%d of %d tasks failed; first: %s", failed, len(r.Tasks), first)
	}
}

// Cut makes the record of a run of n tasks that was stopped by why before
// it could report, as a page makes it from the tasks delivered so far:
// those keep their values, the rest are marked as never started (lane -1),
// queued until wallMs and cancelled there, never delivered (DeliveredMs
// 0), and the total is partial. When why is not the run being stopped or
// running out of time, it is the run's error.
func Cut(strategy string, lanes, n int, delivered []Task, wallMs float64, why error) Run {
	run := Run{Strategy: strategy, Lanes: lanes, WallMs: wallMs, Tasks: slices.Clone(delivered)}
	seen := map[int]bool{}
	for _, t := range delivered {
		seen[t.ID] = true
	}
	for k := range n {
		if !seen[k] {
			phases := Enter(Enter(nil, StateQueued, 0), StateCancelled, wallMs)
			run.Tasks = append(run.Tasks, Task{ID: k, Lane: -1, StartMs: wallMs, EndMs: wallMs, Error: NotStarted(why), Phases: phases})
		}
	}
	run.Total(why)
	run.Partial = true
	if why != nil && !errors.Is(why, context.Canceled) && !errors.Is(why, context.DeadlineExceeded) {
		run.Error = why.Error()
	}
	return run
}
