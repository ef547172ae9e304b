//go:build !js

package browsertest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// liveQueries are the runs of 10,000 tasks BenchmarkTimeline10k draws
// live: a pool of 1,000 lanes and a goroutine each (the connections demo),
// and one lane (cpu-sumsq).
var liveQueries = []string{
	"demo=connections&strategy=pool,goroutines&latency=300",
	"demo=cpu-sumsq&strategy=sequential&tasks=10000&size=4000000000",
}

// BenchmarkTimeline10k measures the timeline's frames with 10,000 tasks
// in headless Chromium, against a goal of 16 ms for every frame:
//
//	go test -run '^$' -bench Timeline10k -benchtime 1x ./wasm/browsertest/
//
// A report of 10,000 tasks three ways — a goroutine each (10,000 lanes,
// drawn as density rows), a pool of 8 lanes and one lane — is loaded into
// the page, and each run's timeline is zoomed with W and S and with
// Ctrl+wheel, panned with A and D and dragged. Then runs of 10,000 tasks
// are drawn live, each on a first visit (a fresh profile, autorun=1):
// the connections demo's pool of 1,000 lanes and its goroutines, and
// cpu-sumsq's sequential. It reports, as the median and the most over the
// frames, in ms:
//
//	model   a task's making of a finished run's model, between frames:
//	        the steps (Model.Step) that fit in its budget; the drawing
//	        is at the frame after the last
//	draw    a finished run's first drawing, each of its two frames: its
//	        canvas made at one, its image and words at the next
//	zoom    the page's Go in a frame of W, S or the wheel
//	pan     the page's Go in a frame of A, D or a drag
//	frame   a key's whole frame: the Go, then the browser's style,
//	        layout and paint of it, to the next task on the main thread
//	live    a live drawing (Backend.DrawLive) while the run streams in
//
// The live runs are traced (Chrome's trace of the main thread), to put
// each live drawing's wall time beside the CPU time of its task: on 2
// cores a CPU run keeps a core busy, and the main thread shares the other
// with the coordinator, V8's background threads and the browser. The
// trace also gives the main thread's longest task over each run: the
// page's longest freeze, which frames alone do not show.
//
// It is a measurement, not a test: it fails only when it cannot measure.
func BenchmarkTimeline10k(b *testing.B) {
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		b.Logf("load average before: %s", strings.TrimSpace(string(load)))
	}
	rep := manyReport(10_000)
	for range b.N {
		ctx, cancel := freshBrowser(b)
		run := func(expr string) {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise)); err != nil {
				b.Fatalf("%s: %v", expr[:min(len(expr), 80)], err)
			}
		}
		for _, a := range []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1)), chromedp.Navigate(base + "/?demo=cpu-sumsq")} {
			if _, err := chromedp.Run(ctx, a); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`performance.getEntriesByName("lanes pool ready").length > 0`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			b.Fatal(err)
		}
		loadReport(b, ctx, rep)
		time.Sleep(time.Second) // as a person starts reading
		run(`(window.frames10k = [], true)`)
		for _, r := range rep.Runs {
			zoomAndPan(b, ctx, r.Strategy)
		}
		byRun, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][]float64](`Object.fromEntries(["goroutines", "pool", "sequential"].map(r => [r, frames10k.filter(f => f.run === r).map(f => f.go)]))`))
		if err != nil {
			b.Fatal(err)
		}
		// A frame over 16 ms, with the page's Go in it: the rest of such a
		// frame is the browser's style, layout and paint, and its waits.
		over, err := chromedp.Run(ctx, chromedp.Evaluate[[][]float64](`frames10k.filter(f => f.frame > 16).map(f => [f.go, f.frame])`))
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range over {
			say("timeline 10k a frame over 16 ms: %.1f ms, of which the page's Go %.1f ms", f[1], f[0])
		}
		for _, r := range rep.Runs {
			ms := byRun[r.Strategy]
			say("timeline 10k %-10s zoom and pan, the page's Go: median %4.1f ms, max %4.1f ms over %d frames", r.Strategy, median(ms), slices.Max(ms), len(ms))
		}
		type figures struct {
			Model, Draw, Zoom, Pan, Frame, Live []float64
		}
		f, err := chromedp.Run(ctx, chromedp.Evaluate[figures](`(() => {
			const all = performance.getEntriesByName("lanes timeline");
			return {
				model: all.filter(e => e.detail === "model").map(e => e.duration),
				draw: all.filter(e => e.detail === "draw").map(e => e.duration),
				zoom: all.filter(e => e.detail === "zoom").map(e => e.duration),
				pan: all.filter(e => e.detail === "pan").map(e => e.duration),
				frame: frames10k.map(e => e.frame),
				live: [],
			};
		})()`))
		if err != nil {
			b.Fatal(err)
		}

		// The same steps again, traced (tracing costs a little, so the
		// figures above are from the steps untraced): each whole frame, with
		// the CPU time of the main thread's tasks in it, which tells the
		// page's own work and the browser's from their waits for a CPU.
		events := recordTrace(b, ctx, []string{"toplevel", "blink.user_timing", "v8.wasm"}, func() {
			for _, r := range rep.Runs {
				zoomAndPan(b, ctx, r.Strategy)
			}
		})
		if frames := measuredWindows(events, "lanes bench frame"); len(frames) > 0 {
			wall, cpu, over, overCPU, compiled := spanFigures(frames)
			say("timeline 10k zoom and pan, traced, %d frames: wall median %.1f ms, max %.1f; the main thread's CPU time in them: median %.1f ms, max %.1f; "+
				"%d over 16 ms of wall time (%d while V8 compiled wasm to its top tier), %d over 16 ms of CPU",
				len(frames), median(wall), slices.Max(wall), median(cpu), slices.Max(cpu), over, compiled, overCPU)
			b.ReportMetric(slices.Max(cpu), "frame-cpu-max-ms")
			b.ReportMetric(median(cpu), "frame-cpu-median-ms")
		}

		cancel()

		// Live: 10,000 tasks streaming in, as a first visit meets them —
		// each query in a fresh profile, run at once (autorun), traced:
		// each live drawing's wall time beside the CPU time of the
		// main-thread task it ran in, which tells the page's own work from
		// its waits for a CPU.
		var spans []measuredSpan
		for _, query := range liveQueries {
			longest := 0.0
			for range liveVisits {
				drawn, task := liveVisit(b, query, &f.Model, &f.Draw)
				spans, longest = append(spans, drawn...), max(longest, task)
			}
			b.ReportMetric(longest, "longest-task-ms-"+strings.SplitN(strings.TrimPrefix(query, "demo="), "&", 2)[0])
		}
		for _, s := range spans {
			f.Live = append(f.Live, s.WallMs)
		}
		if len(spans) > 0 {
			wall, cpu, over, overCPU, compiled := spanFigures(spans)
			waited := 0
			for _, s := range spans {
				if s.WallMs > 16 && s.CPUMs < s.TaskMs/2 {
					waited++
				}
			}
			say("timeline 10k live, first visits, traced, %d drawings: wall median %.1f ms, max %.1f; the page's CPU time in the task of each: median %.1f ms, max %.1f; "+
				"%d over 16 ms of wall time (%d of them waiting for a CPU more than half their task's time, %d while V8 compiled wasm to its top tier), %d over 16 ms of CPU",
				len(spans), median(wall), slices.Max(wall), median(cpu), slices.Max(cpu), over, waited, compiled, overCPU)
			b.ReportMetric(slices.Max(cpu), "live-task-cpu-max-ms")
			b.ReportMetric(median(cpu), "live-task-cpu-median-ms")
		}

		for _, m := range []struct {
			name string
			ms   []float64
		}{{"model", f.Model}, {"draw", f.Draw}, {"zoom", f.Zoom}, {"pan", f.Pan}, {"frame", f.Frame}, {"live", f.Live}} {
			if len(m.ms) == 0 {
				b.Fatalf("no %s frames measured", m.name)
			}
			b.ReportMetric(median(m.ms), m.name+"-median-ms")
			b.ReportMetric(slices.Max(m.ms), m.name+"-max-ms")
			say("timeline 10k %-5s %3d frames: median %5.1f ms, max %5.1f ms", m.name, len(m.ms), median(m.ms), slices.Max(m.ms))
		}
	}
}

// liveVisits is how many first visits BenchmarkTimeline10k makes to each
// of liveQueries.
const liveVisits = 2

// liveVisit opens query in a fresh profile with autorun and traces it to
// the end: the live drawings of its measured runs (not the warm-up's),
// with the CPU time of their tasks, and the main thread's longest task
// (which it says, with what it held). It adds to models and draws the
// finished runs' "lanes timeline" measures of detail "model" and "draw".
func liveVisit(b *testing.B, query string, models, draws *[]float64) (drawn []measuredSpan, longestMs float64) {
	ctx, cancel := freshBrowser(b)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))); err != nil {
		b.Fatal(err)
	}
	events := recordTrace(b, ctx, []string{"toplevel", "blink.user_timing", "v8.wasm"}, func() {
		if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?"+query+"&autorun=1")); err != nil {
			b.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#lanes")?.dataset.state === "done"`, chromedp.WithPollingTimeout(120*time.Second), chromedp.WithPollingInterval(250*time.Millisecond))); err != nil {
			b.Fatal(err)
		}
	})
	runs := measures(events, "lanes run")
	measured := runs[max(0, len(runs)-strings.Count(query, ",")-1):]
	wall, cpu, within := longestTask(events, "lanes live")
	what := "none of the page's measures" // the collector, the run's answer, the report's figures, …
	if len(within) > 0 {
		what = strings.Join(within, ", ")
	}
	say("timeline 10k %s: the main thread's longest task, from its first run's start (the warm-up's) to its cards drawn: %.0f ms (%.0f ms of CPU), holding %s", query, wall, cpu, what)
	more, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][]float64](`Object.fromEntries(["model", "draw"].map(d => [d, performance.getEntriesByName("lanes timeline").filter(e => e.detail === d).map(e => e.duration)]))`))
	if err == nil {
		*models = append(*models, more["model"]...)
		*draws = append(*draws, more["draw"]...)
	}
	return measuredSpans(events, "lanes live", measured...), wall
}

// spanFigures are spans' wall and CPU times, how many took over 16 ms of
// each, and how many of those over 16 ms of wall time came while V8
// compiled wasm to its top tier (measuredSpan.CompileMs).
func spanFigures(spans []measuredSpan) (wall, cpu []float64, overWall, overCPU, compiled int) {
	for _, s := range spans {
		wall, cpu = append(wall, s.WallMs), append(cpu, s.CPUMs)
		if s.WallMs > 16 {
			overWall++
			if s.CompileMs > 0 {
				compiled++
			}
		}
		if s.CPUMs > 16 {
			overCPU++
		}
	}
	return wall, cpu, overWall, overCPU, compiled
}

// zoomAndPan zooms the timeline of a loaded run with W and S and with
// Ctrl+wheel, pans it with A and D, and drags it, each step at a frame of
// its own. For each step it adds to window.frames10k the page's Go in its
// frame and the whole frame, and leaves the whole frame as a "lanes bench
// frame" measure: from the page's Go to the main thread's next task after
// the frame's rendering.
func zoomAndPan(b *testing.B, ctx context.Context, strategy string) {
	// Each step waits for its frame, then for the main thread's next
	// task, which comes after the frame's rendering.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const stage = document.querySelector('`+stage(strategy)+`');
		stage.scrollIntoView({block: "center"});
		stage.focus();
		const frame = () => new Promise(done => requestAnimationFrame(() => {
			const a = performance.now(), ch = new MessageChannel();
			ch.port1.onmessage = () => done(performance.now() - a);
			ch.port2.postMessage(0);
		}));
		const key = (k) => stage.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true, cancelable: true}));
		const wheel = (dy) => { const box = stage.getBoundingClientRect();
			stage.dispatchEvent(new WheelEvent("wheel", {deltaY: dy, ctrlKey: true, clientX: box.left + box.width * 0.3, clientY: box.top + 20, bubbles: true, cancelable: true})); };
		const step = async (fire) => {
			await new Promise(r => requestAnimationFrame(r));
			const n = performance.getEntriesByName("lanes timeline").length;
			fire();
			const tail = await frame();
			const m = performance.getEntriesByName("lanes timeline").slice(n);
			if (m.length) {
				frames10k.push({run: "`+strategy+`", kind: m[0].detail, go: m[0].duration, frame: m[0].duration + tail});
				performance.measure("lanes bench frame", {start: m[0].startTime, end: performance.now()});
			}
		};
		for (let i = 0; i < 12; i++) await step(() => key("w"));
		for (let i = 0; i < 8; i++) await step(() => key("d"));
		for (let i = 0; i < 8; i++) await step(() => key("a"));
		for (let i = 0; i < 12; i++) await step(() => key("s"));
		for (let i = 0; i < 10; i++) await step(() => wheel(-120));
		for (let i = 0; i < 10; i++) await step(() => wheel(120));
		for (let i = 0; i < 6; i++) await step(() => key("w"));
		return true;
	})()`, chromedp.EvalAwaitPromise)); err != nil {
		b.Fatalf("zoom and pan %s: %v", strategy, err)
	}
	// A drag, with the browser's own mouse events.
	w, err := chromedp.Run(ctx, chromedp.Evaluate[where](whereJS(strategy)))
	if err != nil {
		b.Fatal(err)
	}
	y := w.Top + 10
	acts := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, w.Left+w.PlotLeft+w.PlotWidth*0.8, y, chromedp.ButtonLeft)}
	for i := 1; i <= 12; i++ {
		acts = append(acts, chromedp.MouseEvent(chromedp.MouseMoved, w.Left+w.PlotLeft+w.PlotWidth*(0.8-0.05*float64(i)), y, chromedp.ButtonLeft), chromedp.Sleep(20*time.Millisecond))
	}
	acts = append(acts, chromedp.MouseEvent(chromedp.MouseReleased, w.Left+w.PlotLeft+w.PlotWidth*0.2, y, chromedp.ButtonLeft))
	for _, a := range acts {
		if _, err := chromedp.Run(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)); err != nil {
		b.Fatal(err)
	}
}
