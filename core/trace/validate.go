package trace

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Validate checks a trace against the format's rules as Lanes writes it,
// and counts its events by phase: every event named, with a known phase
// and a finite, non-negative time in microseconds; complete events with a
// duration; every process and thread that holds events named, and each
// thread given its place (thread_sort_index); no thread events on tid 0,
// which Perfetto moves to the thread whose tid is the pid; complete
// events on one thread one after another or one inside another, never
// overlapping in part; no phase (category "phase") that takes no time,
// which viewers nest inside the sibling that begins with it; counters
// with numbers. The rules are those of Perfetto's JSON importer
// (src/trace_processor/importers/json). The tests of every place that
// writes a trace use it.
func Validate(raw []byte) (phases map[string]int, err error) {
	var f struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	if len(f.TraceEvents) == 0 {
		return nil, errors.New("trace: no traceEvents")
	}
	phases = map[string]int{}
	procNames := map[float64]bool{}
	threadNames, threadOrder := map[[2]float64]bool{}, map[[2]float64]bool{}
	used := map[[2]float64]bool{}
	type span struct{ start, end float64 }
	spans := map[[2]float64][]span{}
	for i, e := range f.TraceEvents {
		name, _ := e["name"].(string)
		ph, _ := e["ph"].(string)
		ts, okTs := e["ts"].(float64)
		pid, okPid := e["pid"].(float64)
		tid, okTid := e["tid"].(float64)
		switch {
		case name == "":
			return nil, fmt.Errorf("trace: event %d has no name", i)
		case !okTs || ts < 0 || math.IsInf(ts, 0):
			return nil, fmt.Errorf("trace: event %d (%s): ts %v", i, name, e["ts"])
		case !okPid || !okTid:
			return nil, fmt.Errorf("trace: event %d (%s): no pid or tid", i, name)
		}
		k := [2]float64{pid, tid}
		phases[ph]++
		if (ph == "X" || ph == "i" && e["s"] == "t") && tid == 0 && pid != 0 {
			return nil, fmt.Errorf("trace: event %d (%s) on tid 0, which Perfetto reads as tid %v", i, name, pid)
		}
		switch ph {
		case "M":
			switch name {
			case "process_name":
				procNames[pid] = true
			case "thread_name":
				threadNames[k] = true
			case "thread_sort_index":
				threadOrder[k] = true
			}
		case "X":
			dur, ok := e["dur"].(float64)
			if !ok || dur < 0 || math.IsInf(dur, 0) {
				return nil, fmt.Errorf("trace: complete event %d (%s): dur %v", i, name, e["dur"])
			}
			if dur == 0 && e["cat"] == "phase" {
				return nil, fmt.Errorf("trace: phase %d (%s) takes no time", i, name)
			}
			used[k] = true
			spans[k] = append(spans[k], span{ts, ts + dur})
		case "i":
			if s := e["s"]; s != "t" && s != "p" && s != "g" {
				return nil, fmt.Errorf("trace: instant %d (%s): scope %v", i, name, s)
			}
			used[k] = true
		case "C":
			args, _ := e["args"].(map[string]any)
			if len(args) == 0 {
				return nil, fmt.Errorf("trace: counter %d (%s) has no values", i, name)
			}
			for _, v := range args {
				if _, ok := v.(float64); !ok {
					return nil, fmt.Errorf("trace: counter %d (%s): %v is not a number", i, name, v)
				}
			}
			used[[2]float64{pid, -1}] = true
		default:
			return nil, fmt.Errorf("trace: event %d (%s): unknown phase %q", i, name, ph)
		}
	}
	for k := range used {
		if !procNames[k[0]] {
			return nil, fmt.Errorf("trace: process %v has no name", k[0])
		}
		if k[1] >= 0 && !threadNames[k] {
			return nil, fmt.Errorf("trace: thread %v of process %v has no name", k[1], k[0])
		}
		if k[1] >= 0 && !threadOrder[k] {
			return nil, fmt.Errorf("trace: thread %v of process %v has no thread_sort_index", k[1], k[0])
		}
	}
	for k, ss := range spans {
		// Outer events first: by start, then the longer first.
		slices.SortStableFunc(ss, func(a, b span) int {
			if c := cmp.Compare(a.start, b.start); c != 0 {
				return c
			}
			return cmp.Compare(b.end, a.end)
		})
		var open []span // the events that enclose the one at hand
		for _, s := range ss {
			for len(open) > 0 && open[len(open)-1].end <= s.start+slack {
				open = open[:len(open)-1]
			}
			if n := len(open); n > 0 && s.end > open[n-1].end+slack {
				return nil, fmt.Errorf("trace: thread %v of process %v: complete events overlap (%.3f–%.3f µs and %.3f–%.3f µs)",
					k[1], k[0], open[n-1].start, open[n-1].end, s.start, s.end)
			}
			open = append(open, s)
		}
	}
	return phases, nil
}

// slack is how far apart two times in µs may be and count as one: a
// thousandth of a nanosecond, what adding a duration to a time can lose.
const slack = 1e-6
