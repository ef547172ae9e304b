package protocol

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"lanes/core/internal/plainjson"
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
func Compact(run report.Run, sent *report.ByID[report.Task]) RunAnswer {
	a := RunAnswer{Run: run, Order: make([]int, 0, len(run.Tasks))}
	a.Run.Tasks = nil
	seen := make(map[int]bool, len(run.Tasks))
	for _, t := range run.Tasks {
		if seen[t.ID] {
			return RunAnswer{Run: run, Order: nil}
		}
		seen[t.ID] = true
		a.Order = append(a.Order, t.ID)
		if s, ok := sent.Get(t.ID); !ok || !sameTask(s, t) {
			a.Run.Tasks = append(a.Run.Tasks, t)
		}
	}
	if a.Run.Tasks == nil {
		a.Run.Tasks = []report.Task{}
	}
	return a
}

// UnmarshalJSON reads an answer as encoding/json does, by hand where it
// has encoding/json's layout, {"run":…,"order":[…]}: only the run goes to
// encoding/json, and the order's IDs are read as numbers. encoding/json's
// reflection on each of 10,000 IDs held the page's main thread for 30 ms,
// and its scanning of the whole answer, twice, for 15 ms more (a traced
// run, in wasm); a caller that can calls UnmarshalJSON itself, not
// json.Unmarshal, which scans the answer first. Any other layout, or a
// value the hand refuses, goes to encoding/json, which decides.
func (a *RunAnswer) UnmarshalJSON(data []byte) error {
	if a.unmarshalFast(data) {
		return nil
	}
	var raw struct {
		Run   report.Run      `json:"run"`
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	order, ok := readIDs(raw.Order)
	if !ok {
		if err := json.Unmarshal(raw.Order, &order); err != nil {
			return err
		}
	}
	a.Run, a.Order = raw.Run, order
	return nil
}

// unmarshalFast reads data of encoding/json's layout of an answer; false
// for anything else, a untouched.
func (a *RunAnswer) unmarshalFast(data []byte) bool {
	i, ok := plainjson.Skip(data, 0, `{"run":`)
	if !ok {
		return false
	}
	j := valueEnd(data, i)
	if j < 0 {
		return false
	}
	k, ok := plainjson.Skip(data, j, `,"order":`)
	if !ok || len(data) == 0 || data[len(data)-1] != '}' {
		return false
	}
	order, ok := readIDs(data[k : len(data)-1])
	if !ok || k == len(data)-1 { // an order of nothing is not JSON
		return false
	}
	var run report.Run
	if json.Unmarshal(data[i:j], &run) != nil {
		return false
	}
	a.Run, a.Order = run, order
	return true
}

// readIDs reads a JSON array of integers, or null, or nothing at all (an
// empty b: nil); ok is false for anything else, spaces alone included,
// which encoding/json then reads or refuses.
func readIDs(b []byte) (ids []int, ok bool) {
	i := 0
	space := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
	}
	if len(b) == 0 { // no order at all, as encoding/json's RawMessage leaves it
		return nil, true
	}
	space()
	if i == len(b) { // only spaces: not JSON
		return nil, false
	}
	if string(b[i:]) == "null" {
		return nil, true
	}
	if b[i] != '[' {
		return nil, false
	}
	i++
	ids = []int{}
	space()
	if i < len(b) && b[i] == ']' {
		i++
	} else {
		for {
			space()
			neg := i < len(b) && b[i] == '-'
			if neg {
				i++
			}
			start := i
			n := uint64(0)
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				if n > (math.MaxInt64-9)/10 {
					return nil, false // near the edge of int: encoding/json decides
				}
				n = 10*n + uint64(b[i]-'0')
				i++
			}
			if i == start || b[start] == '0' && i-start > 1 {
				return nil, false // no digits, or a leading zero
			}
			id := int(n)
			if neg {
				id = -id
			}
			ids = append(ids, id)
			space()
			if i < len(b) && b[i] == ',' {
				i++
				continue
			}
			if i < len(b) && b[i] == ']' {
				i++
				break
			}
			return nil, false
		}
	}
	space()
	return ids, i == len(b)
}

// Whole is the run a RunAnswer stands for, its tasks taken from Run.Tasks
// or, for the others, from streamed (the tasks of the call's events, each
// ID's last). An answer without Order holds every task already.
func (a RunAnswer) Whole(streamed *report.ByID[report.Task]) (report.Run, error) {
	if a.Order == nil {
		return a.Run, nil
	}
	var sent report.ByID[report.Task]
	for _, t := range a.Run.Tasks {
		sent.Put(t.ID, t)
	}
	run := a.Run
	run.Tasks = make([]report.Task, 0, len(a.Order))
	for _, id := range a.Order {
		t, ok := sent.Get(id)
		if !ok {
			if t, ok = streamed.Get(id); !ok {
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
