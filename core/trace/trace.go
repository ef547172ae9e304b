// Package trace turns a report into the Chrome Trace Event Format, the
// JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open: one
// process per strategy, named after it, one thread per lane; on a lane, a
// complete event for each task ("task 3") and, nested in it, one for each
// of its phases on the lane, named by state ("io-wait", "compute", …);
// counters of the tasks in flight and of the tasks in each state; and an
// instant event for each task that was cancelled, cut or never started.
//
// The format is documented at
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU:
// times are microseconds, and complete events ("X") on one thread either
// nest or follow each other; a lane's tasks follow each other, and a
// task's phases follow each other inside it.
package trace

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"lanes/core/report"
)

// A File is a trace: {"traceEvents": [...]}, with the report's schema and
// demo as metadata.
type File struct {
	TraceEvents     []Event           `json:"traceEvents"`
	DisplayTimeUnit string            `json:"displayTimeUnit"`
	Metadata        map[string]string `json:"metadata,omitempty"`
}

// An Event is one trace event. Ph is its phase: "M" metadata (names), "X"
// a complete event (Ts and Dur), "C" a counter, "i" an instant.
type Event struct {
	Name  string         `json:"name"`
	Cat   string         `json:"cat,omitempty"`
	Ph    string         `json:"ph"`
	Ts    float64        `json:"ts"`
	Dur   *float64       `json:"dur,omitempty"`
	Pid   int            `json:"pid"`
	Tid   int            `json:"tid"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// Of makes the trace of rep. Each run is a process (pid 1, 2, … in the
// report's order) and each lane a thread (tid lane+1, listed in lane
// order: Perfetto would list first the thread whose tid is its pid);
// thread notStarted holds what happened on no lane (tasks that never
// started).
func Of(rep report.Report) File {
	f := File{DisplayTimeUnit: "ms", Metadata: map[string]string{"schema": rep.Schema, "demo": rep.Demo, "platform": rep.Platform.Kind}}
	for i, run := range rep.Runs {
		pid := i + 1
		f.TraceEvents = append(f.TraceEvents,
			Event{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": run.Strategy}},
			Event{Name: "process_sort_index", Ph: "M", Pid: pid, Args: map[string]any{"sort_index": pid}})
		f.TraceEvents = append(f.TraceEvents, lanes(pid, run)...)
		f.TraceEvents = append(f.TraceEvents, inFlight(pid, run)...)
		f.TraceEvents = append(f.TraceEvents, byState(pid, run)...)
	}
	return f
}

// Count is how many of the trace's events are of phase ph ("X", "C", …)
// and, unless cat is "", of category cat ("task", "phase").
func (f File) Count(ph, cat string) int {
	n := 0
	for _, e := range f.TraceEvents {
		if e.Ph == ph && (cat == "" || e.Cat == cat) {
			n++
		}
	}
	return n
}

// Write writes the trace of rep as JSON.
func Write(w io.Writer, rep report.Report) error {
	return json.NewEncoder(w).Encode(Of(rep))
}

// notStarted is the thread of tasks that never started: not 0, which
// Perfetto reads as the process's main thread (tid = pid), nor any lane's,
// and below 2³¹, as a sort index must be.
const notStarted = 1 << 30

func us(ms float64) float64 { return math.Round(ms*1000*1000) / 1000 }

// lanes names each lane's thread and places its tasks.
func lanes(pid int, run report.Run) []Event {
	byLane := map[int][]report.Task{}
	for _, t := range run.Tasks {
		byLane[t.Lane] = append(byLane[t.Lane], t)
	}
	ids := make([]int, 0, len(byLane))
	for l := range byLane {
		ids = append(ids, l)
	}
	slices.Sort(ids)
	var evs []Event
	for _, lane := range ids {
		tid, order := lane+1, lane
		name := fmt.Sprintf("lane %d", lane)
		if lane < 0 {
			tid, order, name = notStarted, notStarted, "not started"
		}
		evs = append(evs,
			Event{Name: "thread_name", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": name}},
			Event{Name: "thread_sort_index", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"sort_index": order}})
		tasks := byLane[lane]
		slices.SortStableFunc(tasks, func(a, b report.Task) int { return cmp.Compare(a.StartMs, b.StartMs) })
		free := math.Inf(-1)
		for _, t := range tasks {
			if at, ok := cancelledAt(t); ok {
				evs = append(evs, Event{Name: "cut: task " + fmt.Sprint(t.ID), Cat: "cancel", Ph: "i", Scope: "t", Ts: us(at), Pid: pid, Tid: tid, Args: map[string]any{"error": t.Error}})
			}
			if lane < 0 {
				continue
			}
			on := onLane(t)
			// A lane runs one task at a time; a remote clock's rounding
			// must not make two overlap.
			start := t.StartMs
			if len(on) > 0 {
				start = math.Min(start, on[0].StartMs) // handed over before its worker began it
			}
			start = math.Max(start, free)
			end := math.Max(t.EndMs, start)
			free = end
			dur := us(end) - us(start)
			args := map[string]any{"task": t.ID, "delivered_ms": t.DeliveredMs}
			if t.Value != "" {
				args["value"] = t.Value
			}
			if t.Error != "" {
				args["error"] = t.Error
			}
			if t.Bytes > 0 {
				args["bytes"] = t.Bytes
			}
			evs = append(evs, Event{Name: fmt.Sprintf("task %d", t.ID), Cat: "task", Ph: "X", Ts: us(start), Dur: &dur, Pid: pid, Tid: tid, Args: args})
			// Its phases follow each other within it, whatever a report
			// read from elsewhere says. One that took no time is left out:
			// viewers nest it inside the sibling that begins with it.
			from := start
			for _, p := range on {
				from = math.Min(math.Max(p.StartMs, from), end)
				to := math.Min(math.Max(p.EndMs, from), end)
				if d := us(to) - us(from); d > 0 {
					evs = append(evs, Event{Name: p.State, Cat: "phase", Ph: "X", Ts: us(from), Dur: &d, Pid: pid, Tid: tid, Args: map[string]any{"task": t.ID}})
				}
				from = to
			}
		}
	}
	return evs
}

// onLane returns the task's phases spent on its lane: all but queued,
// permit and undelivered.
func onLane(t report.Task) []report.Phase {
	var on []report.Phase
	for _, p := range t.Phases {
		if report.OnLane(p.State) {
			on = append(on, p)
		}
	}
	return on
}

// cancelledAt says whether a task was stopped or never started, and when:
// where its cancelled phase began, or for a task with no phases (a report
// of the first version) its end.
func cancelledAt(t report.Task) (float64, bool) {
	for _, p := range t.Phases {
		if p.State == report.StateCancelled {
			return p.StartMs, true
		}
	}
	if len(t.Phases) > 0 {
		return 0, false
	}
	e := strings.ToLower(t.Error)
	return t.EndMs, t.Lane < 0 || strings.Contains(e, "cancel") || strings.Contains(e, "deadline") || strings.Contains(e, "stopped")
}

// inFlight is a counter of the run's tasks running at each moment.
func inFlight(pid int, run report.Run) []Event {
	var edges []edge
	for _, t := range run.Tasks {
		if t.Lane >= 0 {
			edges = append(edges, edge{t.StartMs, "tasks", 1}, edge{math.Max(t.EndMs, t.StartMs), "tasks", -1})
		}
	}
	return sweep(pid, "in flight", edges, map[string]int{})
}

// byState is a counter of the run's tasks in each state it has, from their
// phases: one series a state, so that a trace viewer draws how many tasks
// were queued, waiting for a permit, on their lanes or held undelivered at
// each moment. Every series starts at 0.
func byState(pid int, run report.Run) []Event {
	var edges []edge
	count := map[string]int{}
	for _, t := range run.Tasks {
		for _, p := range t.Phases {
			count[p.State] += 0 // a series for each state the run has
			if p.EndMs > p.StartMs {
				edges = append(edges, edge{p.StartMs, p.State, 1}, edge{p.EndMs, p.State, -1})
			}
		}
	}
	if len(count) == 0 {
		return nil
	}
	start := Event{Name: "tasks by state", Ph: "C", Ts: 0, Pid: pid, Args: snapshot(count)}
	return append([]Event{start}, sweep(pid, start.Name, edges, count)...)
}

// An edge is where a counter's series goes up or down by d.
type edge struct {
	ms     float64
	series string
	d      int
}

// sweep is the counter name made of edges, counting from count: one value
// of every series at each moment an edge is at, after all of them (the
// ends at a moment taken before the starts).
func sweep(pid int, name string, edges []edge, count map[string]int) []Event {
	slices.SortStableFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.ms, b.ms); c != 0 {
			return c
		}
		return a.d - b.d // ends first
	})
	var evs []Event
	for i, e := range edges {
		count[e.series] += e.d
		if i+1 < len(edges) && edges[i+1].ms == e.ms {
			continue // one value per moment
		}
		evs = append(evs, Event{Name: name, Ph: "C", Ts: us(e.ms), Pid: pid, Args: snapshot(count)})
	}
	return evs
}

func snapshot(count map[string]int) map[string]any {
	args := make(map[string]any, len(count))
	for state, n := range count {
		args[state] = n
	}
	return args
}
