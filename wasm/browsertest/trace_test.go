//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is one event of a Chrome trace, as Tracing.dataCollected
// gives it: times in µs, Tdur the thread's own CPU time of a complete
// event ("X"), Dur its wall time.
type traceEvent struct {
	Name string  `json:"name"`
	Cat  string  `json:"cat"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`
	Dur  float64 `json:"dur"`
	Tdur float64 `json:"tdur"`
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
}

// recordTrace records the browser's trace of categories while fn runs.
func recordTrace(tb testing.TB, ctx context.Context, categories []string, fn func()) []traceEvent {
	tb.Helper()
	var mu sync.Mutex
	var events []traceEvent
	complete := make(chan struct{})
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			defer mu.Unlock()
			for _, v := range e.Value {
				var t traceEvent
				if json.Unmarshal([]byte(v), &t) == nil {
					events = append(events, t)
				}
			}
		case *tracing.EventTracingComplete:
			close(complete)
		}
	})
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: categories}}); err != nil {
		tb.Fatalf("Tracing.start: %v", err)
	}
	fn()
	if _, err := chromedp.Call(ctx, tracing.End, struct{}{}); err != nil {
		tb.Fatalf("Tracing.end: %v", err)
	}
	<-complete
	mu.Lock()
	defer mu.Unlock()
	return events
}

// A measured span is a User Timing measure of the trace, with the time of
// the main-thread task it ran in (measuredSpans), or of the tasks that
// overlap it (measuredWindows).
type measuredSpan struct {
	WallMs    float64 // the measure's own length
	TaskMs    float64 // the wall time of the task, or tasks
	CPUMs     float64 // their CPU time: the page's own work, whatever waited
	CompileMs float64 // V8's top-tier compiling of wasm in the page's process meanwhile, in the task or tasks (compiling)
}

// compiling is the wall time V8 spent compiling wasm code to its top tier
// (TurboFan) in process pid between from and to (µs), on any of its
// threads: the code of the page or of its workers, which V8 made hot. On
// 2 cores such a compile takes a core for 1–30 ms, beside the page's
// main thread and the run's workers. Recorded when the trace holds the
// category "v8.wasm".
func compiling(events []traceEvent, pid int, from, to float64) float64 {
	ms := 0.0
	for _, e := range events {
		if e.Name == "wasm.TopTierCompilation" && e.Ph == "X" && e.Pid == pid && e.Ts <= to && e.Ts+e.Dur >= from {
			ms += (min(e.Ts+e.Dur, to) - max(e.Ts, from)) / 1000
		}
	}
	return ms
}

// measures pairs the begin and end events of the trace's User Timing
// measures named name, in time order: measures of one name never overlap
// here.
func measures(events []traceEvent, name string) [][2]traceEvent {
	var begins, ends []traceEvent
	for _, e := range events {
		if e.Name == name && e.Cat == "blink.user_timing" {
			switch e.Ph {
			case "b":
				begins = append(begins, e)
			case "e":
				ends = append(ends, e)
			}
		}
	}
	byTs := func(a, b traceEvent) int { return int(a.Ts - b.Ts) }
	slices.SortFunc(begins, byTs)
	slices.SortFunc(ends, byTs)
	var pairs [][2]traceEvent
	for i, b := range begins {
		if i < len(ends) {
			pairs = append(pairs, [2]traceEvent{b, ends[i]})
		}
	}
	return pairs
}

// measuredSpans pairs the trace's User Timing measures named name
// (measures) with the top-level task of their thread that holds each one:
// those that begin within one of windows (measures too), or all when none
// is given.
func measuredSpans(events []traceEvent, name string, windows ...[2]traceEvent) []measuredSpan {
	var spans []measuredSpan
	for _, m := range measures(events, name) {
		b, e := m[0], m[1]
		if len(windows) > 0 && !slices.ContainsFunc(windows, func(w [2]traceEvent) bool { return w[0].Ts <= b.Ts && b.Ts <= w[1].Ts }) {
			continue
		}
		s := measuredSpan{WallMs: (e.Ts - b.Ts) / 1000}
		var task traceEvent
		for _, t := range events {
			holds := t.Ph == "X" && t.Cat == "toplevel" && t.Pid == b.Pid && t.Tid == b.Tid && t.Ts <= b.Ts && t.Ts+t.Dur >= e.Ts
			if holds && (s.TaskMs == 0 || t.Dur/1000 < s.TaskMs) {
				s.TaskMs, s.CPUMs, task = t.Dur/1000, t.Tdur/1000, t
			}
		}
		if s.TaskMs > 0 {
			s.CompileMs = compiling(events, b.Pid, task.Ts, task.Ts+task.Dur)
			spans = append(spans, s)
		}
	}
	return spans
}

// measuredWindows pairs the trace's User Timing measures named name
// (measures) with the time of the top-level tasks of their thread that
// overlap each: the work in a window that spans tasks, such as a frame
// and the task after it.
func measuredWindows(events []traceEvent, name string) []measuredSpan {
	var windows []measuredSpan
	for _, m := range measures(events, name) {
		b, e := m[0], m[1]
		w := measuredSpan{WallMs: (e.Ts - b.Ts) / 1000, CompileMs: compiling(events, b.Pid, b.Ts, e.Ts)}
		for _, t := range events {
			if t.Ph == "X" && t.Cat == "toplevel" && t.Pid == b.Pid && t.Tid == b.Tid && t.Ts <= e.Ts && t.Ts+t.Dur >= b.Ts {
				w.TaskMs += t.Dur / 1000
				w.CPUMs += t.Tdur / 1000
			}
		}
		windows = append(windows, w)
	}
	return windows
}

// longestTask is the longest top-level task, in ms, of the thread that
// left the trace's User Timing measures named name (the page's main
// thread), of those begun after its first run began (its first "lanes
// run" measure: the page's start is not counted), with its CPU time
// and the page's measures that lie within it ("lanes render 12.3 ms", …):
// what the page knows it did in that task.
func longestTask(events []traceEvent, name string) (wallMs, cpuMs float64, within []string) {
	pid, tid := -1, -1
	for _, e := range events {
		if e.Name == name && e.Cat == "blink.user_timing" {
			pid, tid = e.Pid, e.Tid
		}
	}
	first := math.Inf(1)
	for _, e := range events {
		if e.Name == "lanes run" && e.Cat == "blink.user_timing" && e.Ph == "b" && e.Pid == pid {
			first = math.Min(first, e.Ts)
		}
	}
	var from, to float64
	for _, t := range events {
		if t.Ph == "X" && t.Cat == "toplevel" && t.Pid == pid && t.Tid == tid && t.Ts >= first && t.Dur/1000 > wallMs {
			wallMs, cpuMs = t.Dur/1000, t.Tdur/1000
			from, to = t.Ts, t.Ts+t.Dur
		}
	}
	begun := map[string]float64{}
	for _, e := range events {
		if e.Cat != "blink.user_timing" || e.Pid != pid {
			continue
		}
		switch e.Ph {
		case "b":
			begun[e.Name] = e.Ts
		case "e":
			if b, ok := begun[e.Name]; ok && b >= from && e.Ts <= to {
				within = append(within, fmt.Sprintf("%s %.1f ms", e.Name, (e.Ts-b)/1000))
			}
		}
	}
	return wallMs, cpuMs, within
}
