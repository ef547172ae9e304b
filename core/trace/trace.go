// Package trace turns a report into the Chrome Trace Event Format, the
// JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open: one
// process per strategy, named after it, one thread per lane, a complete
// event for each task, a counter of the tasks in flight, and an instant
// event for each task that was cut or never started.
//
// The format is documented at
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU:
// times are microseconds, and complete events ("X") on one thread either
// nest or follow each other; a lane's tasks follow each other.
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
// report's order) and each lane a thread (tid lane+1); tid 0 holds what
// happened on no lane (tasks that never started).
func Of(rep report.Report) File {
	f := File{DisplayTimeUnit: "ms", Metadata: map[string]string{"schema": rep.Schema, "demo": rep.Demo, "platform": rep.Platform.Kind}}
	for i, run := range rep.Runs {
		pid := i + 1
		f.TraceEvents = append(f.TraceEvents,
			Event{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": run.Strategy}},
			Event{Name: "process_sort_index", Ph: "M", Pid: pid, Args: map[string]any{"sort_index": pid}})
		f.TraceEvents = append(f.TraceEvents, lanes(pid, run)...)
		f.TraceEvents = append(f.TraceEvents, inFlight(pid, run)...)
	}
	return f
}

// Write writes the trace of rep as JSON.
func Write(w io.Writer, rep report.Report) error {
	enc := json.NewEncoder(w)
	return enc.Encode(Of(rep))
}

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
		tid := lane + 1
		name := fmt.Sprintf("lane %d", lane)
		if lane < 0 {
			tid, name = 0, "not started"
		}
		evs = append(evs, Event{Name: "thread_name", Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": name}})
		tasks := byLane[lane]
		slices.SortStableFunc(tasks, func(a, b report.Task) int { return cmp.Compare(a.StartMs, b.StartMs) })
		free := math.Inf(-1)
		for _, t := range tasks {
			if cut(t) {
				evs = append(evs, Event{Name: "cut: task " + fmt.Sprint(t.ID), Cat: "cancel", Ph: "i", Scope: "t", Ts: us(t.EndMs), Pid: pid, Tid: tid, Args: map[string]any{"error": t.Error}})
			}
			if lane < 0 {
				continue
			}
			// A lane runs one task at a time; a remote clock's rounding
			// must not make two overlap.
			start := math.Max(t.StartMs, free)
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
		}
	}
	return evs
}

// cut reports whether a task was stopped or never started.
func cut(t report.Task) bool {
	e := strings.ToLower(t.Error)
	return t.Lane < 0 || strings.Contains(e, "cancel") || strings.Contains(e, "deadline") || strings.Contains(e, "stopped")
}

// inFlight is a counter of the run's tasks running at each moment.
func inFlight(pid int, run report.Run) []Event {
	type edge struct {
		ms float64
		d  int
	}
	var edges []edge
	for _, t := range run.Tasks {
		if t.Lane >= 0 {
			edges = append(edges, edge{t.StartMs, 1}, edge{math.Max(t.EndMs, t.StartMs), -1})
		}
	}
	slices.SortStableFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.ms, b.ms); c != 0 {
			return c
		}
		return a.d - b.d // ends first
	})
	var evs []Event
	n := 0
	for i, e := range edges {
		n += e.d
		if i+1 < len(edges) && edges[i+1].ms == e.ms {
			continue // one value per moment
		}
		evs = append(evs, Event{Name: "in flight", Ph: "C", Ts: us(e.ms), Pid: pid, Args: map[string]any{"tasks": n}})
	}
	return evs
}
