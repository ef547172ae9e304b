//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// statesReport is a browser report whose runs pass through every task
// state, as core records them: a semaphore's queue of tasks waiting for a
// permit, results held behind a slow one in order, a pipeline's download
// then compute, a mutex's waits, a run cut short, and a run saved before
// states were recorded (plain bars).
func statesReport() report.Report {
	ph := func(state string, from, to float64) report.Phase {
		return report.Phase{State: state, StartMs: from, EndMs: to}
	}
	run := func(strategy string, lanes int, tasks []report.Task) report.Run {
		wall := 0.0
		for _, t := range tasks {
			wall = max(wall, t.DeliveredMs, t.EndMs)
		}
		return report.Run{Strategy: strategy, Lanes: lanes, WallMs: wall, IdealMs: wall * 0.8, Speedup: 1, Efficiency: 0.8,
			Result: "42", Tasks: tasks}
	}
	// semaphore: 9 downloads, 3 permits; each waits for its permit, waits
	// on the network, transfers and hashes.
	var sem []report.Task
	for i := range 9 {
		lane, start := i%3, float64(i/3)*40
		t := report.Task{ID: i, Lane: lane, StartMs: start, EndMs: start + 40, DeliveredMs: start + 40, Value: "1"}
		if start > 0 {
			t.Phases = append(t.Phases, ph(report.StatePermit, 0, start))
		}
		t.Phases = append(t.Phases, ph(report.StateIOWait, start, start+22), ph(report.StateTransfer, start+22, start+32), ph(report.StateCompute, start+32, start+40))
		sem = append(sem, t)
	}
	// ordered: task 0 is slow; the others' results wait for it.
	var ordered []report.Task
	for i, cost := range []float64{90, 15, 30, 10, 25, 20} {
		lane, start := i%2, 0.0
		if i >= 2 {
			start = ordered[i-2].EndMs
		}
		t := report.Task{ID: i, Lane: lane, StartMs: start, EndMs: start + cost, Value: fmt.Sprint(cost)}
		t.DeliveredMs = max(t.EndMs, 90)
		if start > 0 {
			t.Phases = append(t.Phases, ph(report.StateQueued, 0, start))
		}
		t.Phases = append(t.Phases, ph(report.StateCompute, start, t.EndMs))
		if t.DeliveredMs > t.EndMs {
			t.Phases = append(t.Phases, ph(report.StateUndelivered, t.EndMs, t.DeliveredMs))
		}
		ordered = append(ordered, t)
	}
	// hybrid: each task downloads on its own goroutine, then is handed to
	// a worker and computes.
	var hybrid []report.Task
	for i := range 4 {
		s := float64(i) * 4
		t := report.Task{ID: i, Lane: i, StartMs: s, EndMs: s + 70, DeliveredMs: s + 71, Value: "9",
			Phases: []report.Phase{ph(report.StateIOWait, s, s+25), ph(report.StateTransfer, s+25, s+35),
				ph(report.StateDispatch, s+35, s+40), ph(report.StateCompute, s+40, s+70)}}
		hybrid = append(hybrid, t)
	}
	// mutex: four goroutines take turns at a lock.
	var mutex []report.Task
	for i := range 4 {
		t := report.Task{ID: i, Lane: i, StartMs: 0, EndMs: 100, DeliveredMs: 100, Value: "100000"}
		for k := range 10 {
			s := float64(k) * 10
			hold := s + float64(i)*2.5
			t.Phases = append(t.Phases, ph(report.StateLock, s, hold), ph(report.StateCompute, hold, hold+2.5))
			if hold+2.5 < s+10 {
				t.Phases = append(t.Phases, ph(report.StateCompute, hold+2.5, s+10))
			}
		}
		mutex = append(mutex, t)
	}
	// workers, stopped at 60 ms: two tasks cut, one never started.
	cut := []report.Task{
		{ID: 0, Lane: 0, StartMs: 0, EndMs: 40, DeliveredMs: 41, Value: "5", Phases: []report.Phase{ph(report.StateCompute, 0, 40)}},
		{ID: 1, Lane: 1, StartMs: 0, EndMs: 60, Error: "context canceled", Phases: []report.Phase{ph(report.StateCompute, 0, 45), ph(report.StateCancelled, 45, 60)}},
		{ID: 2, Lane: 0, StartMs: 41, EndMs: 60, Error: "context canceled", Phases: []report.Phase{ph(report.StateQueued, 0, 41), ph(report.StateCompute, 41, 45), ph(report.StateCancelled, 45, 60)}},
		{ID: 3, Lane: -1, StartMs: 60, EndMs: 60, Error: "not started: context canceled", Phases: []report.Phase{ph(report.StateQueued, 0, 60)}},
	}
	// sequential, saved before states were recorded.
	var plain []report.Task
	for i := range 5 {
		plain = append(plain, report.Task{ID: i, Lane: 0, StartMs: float64(i) * 24, EndMs: float64(i)*24 + 23, DeliveredMs: float64(i)*24 + 23.5, Value: "3"})
	}
	plain[3].Error = "boom"
	rep := report.Report{Schema: report.Schema, Demo: "cpu-sumsq", Platform: report.Platform{Kind: "browser", Go: "go1.26", OS: "js", Arch: "wasm", CPUs: 2},
		Params: map[string]any{"tasks": 9},
		Runs: []report.Run{run("semaphore", 3, sem), run("ordered", 2, ordered), run("hybrid", 4, hybrid),
			run("mutex", 4, mutex), run("workers", 2, cut), run("sequential", 1, plain)}}
	rep.Runs[4].Partial = true
	return rep
}

// manyReport is a browser report of 10,000 tasks three ways: a goroutine
// each (10,000 lanes), a pool of 8 and one lane, each task queued, then
// waiting on I/O, then computing.
func manyReport(n int) report.Report {
	ph := func(state string, from, to float64) report.Phase {
		return report.Phase{State: state, StartMs: from, EndMs: to}
	}
	var runs []report.Run
	for _, lanes := range []int{n, 8, 1} {
		r := report.Run{Strategy: map[int]string{n: "goroutines", 8: "pool", 1: "sequential"}[lanes], Lanes: lanes, Result: "1"}
		per := float64(lanes) / float64(n) * 1000 // each task's share of a 1 s run on its lane
		if lanes == n {
			per = 100
		}
		for i := range n {
			lane := i % lanes
			start := float64(i/lanes) * per
			if lanes == n {
				start = float64(i%97) * 3 // staggered starts, the lanes' waits all overlapping
			}
			end := start + per*(0.6+0.4*float64(i%5)/4)
			mid := start + (end-start)*0.7
			t := report.Task{ID: i, Lane: lane, StartMs: start, EndMs: end, DeliveredMs: end, Value: "1", Phases: []report.Phase{
				ph(report.StateIOWait, start, mid), ph(report.StateCompute, mid, end)}}
			if start > 0 {
				t.Phases = append([]report.Phase{ph(report.StateQueued, 0, start)}, t.Phases...)
			}
			r.Tasks = append(r.Tasks, t)
			r.WallMs = max(r.WallMs, end)
		}
		runs = append(runs, r)
	}
	return report.Report{Schema: report.Schema, Demo: "io-download", Platform: report.Platform{Kind: "browser", Go: "go1.26", OS: "js", Arch: "wasm", CPUs: 2},
		Params: map[string]any{"tasks": n}, Runs: runs}
}

// loadReport loads rep into the page as a person would, with the file
// input of the comparison panel, and waits until every run's timeline is
// drawn.
func loadReport(t testing.TB, ctx context.Context, rep report.Report) {
	t.Helper()
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "report.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	if _, err := chromedp.Run(ctx, chromedp.SetUploadFiles(chromedp.CSS("#load"), []string{path})); err != nil {
		t.Fatalf("upload: %v", err)
	}
	expr := fmt.Sprintf(`document.querySelectorAll(".run[data-final] .tl-stage").length === %d && %s`, len(rep.Runs), drawn)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %d timelines: %v", len(rep.Runs), err)
	}
}

// stage is the selector of a run card's timeline.
func stage(strategy string) string {
	return fmt.Sprintf(`.run[data-strategy="%s"] .tl-stage`, strategy)
}

// A where is where a run's timeline is on the screen, and the time it
// shows.
type where struct {
	Left, Top, PlotLeft, PlotWidth, RowHeight, From, To float64
}

// x is where the moment ms is drawn.
func (w where) x(ms float64) float64 {
	return w.Left + w.PlotLeft + w.PlotWidth*(ms-w.From)/(w.To-w.From)
}

// y is the middle of a row (a lane, or a density row).
func (w where) y(row int) float64 { return w.Top + (float64(row)+0.5)*w.RowHeight }

// place scrolls a run's timeline into view and says where it is.
func place(t *testing.T, ctx context.Context, strategy string) where {
	t.Helper()
	return eval[where](t, ctx, whereJS(strategy))
}

// whereJS scrolls a run's timeline into view and gives its where.
func whereJS(strategy string) string {
	return `(() => { const e = document.querySelector('` + stage(strategy) + `'); e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect(), d = e.dataset;
		return {left: r.left, top: r.top, plotLeft: +d.plotLeft, plotWidth: +d.plotWidth, rowHeight: +d.rowHeight, from: +d.from, to: +d.to}; })()`
}

// TestTimelineStates loads runs with every state and reads them back as a
// person would: the legend names only what is drawn, pointing at a task
// or tapping it says all about it, the keys and buttons zoom and pan and
// reset, the arrow keys visit the tasks, and Tab leaves the timeline.
func TestTimelineStates(t *testing.T) {
	ctx := page(t)
	do(t, ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1)))
	open(t, ctx, "/?demo=cpu-sumsq")
	loadReport(t, ctx, statesReport())

	legend := func(strategy string) string {
		return eval[string](t, ctx, `document.querySelector('.run[data-strategy="`+strategy+`"] .tl-legend').textContent`)
	}
	assert.Equal(t, "On the lanes:waiting on I/Otransferringcomputingresult deliveredUnder the axis, tasks:on a lanewaiting for a permit", legend("semaphore"))
	assert.Contains(t, legend("ordered"), "done, not yet delivered")
	assert.Contains(t, legend("ordered"), "queued")
	assert.Contains(t, legend("hybrid"), "handed to a worker")
	assert.Contains(t, legend("mutex"), "waiting for a lock")
	assert.Contains(t, legend("workers"), "cancelled")
	assert.Contains(t, legend("workers"), "failed")
	assert.Equal(t, "On the lanes:on its lane (states not recorded)failedresult deliveredUnder the axis, tasks:on a lane", legend("sequential"), "a report without states: plain bars")
	assert.Equal(t, 3, eval[int](t, ctx, `+document.querySelector('`+stage("workers")+`').dataset.bars`), "the task that never started has no bar")

	// The image says what it shows.
	label := eval[string](t, ctx, `document.querySelector('`+stage("semaphore")+` svg.timeline[role="img"]').getAttribute("aria-label")`)
	assert.Equal(t, "Timeline of semaphore: 9 tasks on 3 lanes over 120.0 ms. On the lanes: waiting on I/O, transferring, computing. "+
		"Under the axis, tasks on a lane (at most 3), waiting for a permit (at most 6).", label)

	// Pointing at task 4 (lane 1, 40–80 ms; waiting on I/O at 50 ms).
	box := place(t, ctx, "semaphore")
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, box.x(50), box.y(1)))
	details := `document.querySelector('.run[data-strategy="semaphore"] .tl-details').textContent`
	waitFor(t, ctx, details+`.startsWith("Task 4 on lane 1")`, 5*time.Second)
	got := eval[string](t, ctx, details)
	assert.Contains(t, got, "on its lane 40.0 ms–80.0 ms (40.0 ms), delivered at 80.0 ms.")
	assert.Contains(t, got, "waiting for a permit: 0.0 ms–40.0 ms (40.0 ms)")
	assert.Contains(t, got, "transferring: 62.0 ms–72.0 ms (10.0 ms)")
	assert.Contains(t, got, "Value: 1")

	// A tap on a failed task says why it failed.
	seq := place(t, ctx, "sequential")
	do(t, ctx, chromedp.MouseClickXY(seq.x(80), seq.y(0)))
	waitFor(t, ctx, `document.querySelector('.run[data-strategy="sequential"] .tl-details').textContent.includes("Error: boom")`, 5*time.Second)
	assert.Equal(t, "3", eval[string](t, ctx, `document.querySelector('`+stage("sequential")+`').dataset.focus`))

	// The keys: W zooms in, D pans later, S zooms out, 0 shows it all.
	view := func() []float64 {
		return eval[[]float64](t, ctx, `(() => { const d = document.querySelector('`+stage("semaphore")+`').dataset; return [+d.from, +d.to]; })()`)
	}
	box = place(t, ctx, "semaphore")
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, 1, 1)) // the pointer away: keys zoom about the middle
	do(t, ctx, chromedp.Focus(chromedp.CSS(stage("semaphore"))))
	frame := func() {
		eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	}
	key := func(k string) {
		do(t, ctx, chromedp.KeyEvent(k))
		frame()
	}
	key("w")
	v := view()
	assert.InDelta(t, 14.5, v[0], 0.01, "zoomed into the middle: 14.5–130.5 ms")
	assert.InDelta(t, 130.5, v[1], 0.01)
	key("w")
	key("d")
	v = view()
	assert.InDelta(t, 26.1+18.56, v[0], 0.01, "zoomed in again (26.1–118.9 ms), then panned by a fifth")
	assert.InDelta(t, 118.9+18.56, v[1], 0.01)
	key("a")
	assert.InDelta(t, 26.1, view()[0], 0.01, "and back")
	key("s")
	key("s")
	assert.Equal(t, []float64{0, 145}, view(), "no wider than the run")
	key("w")
	key("w")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector('.run[data-strategy="semaphore"] .tl-range').textContent`), "of 145.0 ms")
	key("0")
	assert.Equal(t, []float64{0, 145}, view())
	assert.Equal(t, "", eval[string](t, ctx, `document.querySelector('.run[data-strategy="semaphore"] .tl-range').textContent`))

	// The buttons do the same.
	do(t, ctx, chromedp.Click(chromedp.CSS(`.run[data-strategy="semaphore"] [data-act="in"]`)))
	eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	assert.InDelta(t, 116, view()[1]-view()[0], 0.01)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.run[data-strategy="semaphore"] [data-act="reset"]`)))
	eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	assert.Equal(t, []float64{0, 145}, view())

	// A drag pans a zoomed view.
	do(t, ctx, chromedp.Focus(chromedp.CSS(stage("semaphore")))) // from the button clicked
	key("w")
	before := view()
	box = place(t, ctx, "semaphore")
	do(t, ctx, chromedp.MouseEvent(chromedp.MousePressed, box.x(60), box.y(1), chromedp.ButtonLeft))
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, box.x(40), box.y(1), chromedp.ButtonLeft))
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseReleased, box.x(40), box.y(1), chromedp.ButtonLeft))
	eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	after := view()
	assert.Greater(t, after[0], before[0]+5, "dragged to the left: later times")
	assert.InDelta(t, before[1]-before[0], after[1]-after[0], 0.01, "as wide")
	key("0")

	// The wheel scrolls the page over a timeline without the focus, and
	// zooms it with Ctrl (a trackpad's pinch).
	do(t, ctx, chromedp.Focus(chromedp.CSS("#run")))
	box = place(t, ctx, "semaphore")
	wheel := func(dy float64, opts ...chromedp.MouseOption) {
		delta := func(p *input.DispatchMouseEventParams) {
			p.DeltaX, p.DeltaY = 0.01, dy // a DeltaX of 0 is left out, which the protocol refuses
		}
		do(t, ctx, chromedp.MouseEvent(chromedp.MouseWheel, box.x(30), box.y(1), append(opts, delta)...))
		frame()
	}
	scrolled := eval[float64](t, ctx, `scrollY`)
	wheel(100)
	waitFor(t, ctx, `scrollY > `+strconv.FormatFloat(scrolled, 'f', 0, 64), 5*time.Second)
	assert.Equal(t, []float64{0, 145}, view(), "the page scrolled, the timeline did not zoom")
	box = place(t, ctx, "semaphore")
	wheel(-200, chromedp.ButtonModifiers(chromedp.ModifierCtrl))
	v = view()
	assert.Less(t, v[1]-v[0], 145.0, "Ctrl+wheel zoomed in")
	assert.Less(t, v[0], 30.0, "about the pointer")
	assert.Greater(t, v[1], 30.0)
	key("0")

	// The arrow keys visit the tasks, with a visible ring.
	do(t, ctx, chromedp.Focus(chromedp.CSS(stage("semaphore"))))
	focus := func() string {
		return eval[string](t, ctx, `document.querySelector('`+stage("semaphore")+`').dataset.focus`)
	}
	key(kb.ArrowRight)
	assert.Equal(t, "0", focus(), "the first task")
	key(kb.ArrowRight)
	assert.Equal(t, "3", focus(), "the next on lane 0")
	key(kb.ArrowDown)
	assert.Equal(t, "4", focus(), "lane 1, at the same time")
	key(kb.End)
	assert.Equal(t, "7", focus())
	assert.Equal(t, "visible", eval[string](t, ctx, `document.querySelector('.run[data-strategy="semaphore"] .tl-focus').getAttribute("visibility")`))
	assert.True(t, eval[bool](t, ctx, details+`.startsWith("Task 7 on lane 1")`))
	assert.True(t, eval[bool](t, ctx, `document.querySelector('`+stage("semaphore")+`').matches(":focus-visible")`), "the timeline shows it has the focus")

	// Tab leaves: no trap.
	do(t, ctx, chromedp.KeyEvent("\t"))
	assert.False(t, eval[bool](t, ctx, `document.activeElement.matches(".tl-stage")`), "Tab moved on")
	assert.Equal(t, "hidden", eval[string](t, ctx, `document.querySelector('.run[data-strategy="semaphore"] .tl-focus').getAttribute("visibility")`), "no ring without the focus")

	// A narrower window draws the timelines again, to its width.
	wide := place(t, ctx, "semaphore").PlotWidth
	do(t, ctx, chromedp.EmulateViewport(700, 900, chromedp.EmulateScale(1)))
	waitFor(t, ctx, `+document.querySelector('`+stage("semaphore")+`').dataset.plotWidth < `+strconv.FormatFloat(wide-200, 'f', 0, 64), 5*time.Second)
	alive(t, ctx)
}

// alive checks that the page's Go still answers: a panic in it goes to
// the console's log, not its errors, and leaves the page drawn but dead.
func alive(t *testing.T, ctx context.Context) {
	t.Helper()
	assert.True(t, eval[bool](t, ctx, `(() => { try { window.lanesTest.lastReport(); return true; } catch (e) { return false; } })()`), "the page's Go has exited")
}

// TestTimelineDensity: 10,000 goroutines' lanes are drawn as density rows,
// and pointing at a row says what its lanes were doing.
func TestTimelineDensity(t *testing.T) {
	ctx := page(t)
	do(t, ctx, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1)))
	open(t, ctx, "/?demo=cpu-sumsq")
	loadReport(t, ctx, manyReport(10_000))
	assert.Equal(t, "density", eval[string](t, ctx, `document.querySelector('`+stage("goroutines")+`').dataset.mode`))
	assert.Equal(t, "lanes", eval[string](t, ctx, `document.querySelector('`+stage("pool")+`').dataset.mode`))
	assert.Equal(t, 10000, eval[int](t, ctx, `+document.querySelector('`+stage("goroutines")+`').dataset.bars`))
	r := place(t, ctx, "goroutines")
	do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, r.x(20), r.y(0)))
	waitFor(t, ctx, `document.querySelector('.run[data-strategy="goroutines"] .tl-details').textContent.startsWith("Lanes 0–555 at")`, 5*time.Second)
	assert.Regexp(t, `\d+ computing|\d+ waiting on I/O`, eval[string](t, ctx, `document.querySelector('.run[data-strategy="goroutines"] .tl-details').textContent`))
	assert.True(t, strings.Contains(eval[string](t, ctx, `document.querySelector('`+stage("goroutines")+` svg.timeline').getAttribute("aria-label")`), "drawn as 18 rows"))
	alive(t, ctx)
}

// TestTimelineRehearsal checks that a page run at once (autorun) has
// rehearsed its drawing before its first run, the warm-up's: the made-up
// runs' steps (2 runs of 5) and their showing in a view nobody sees (2
// runs of 14 drawings, after their models' steps), all ended before it;
// and that the unseen view never reached the page.
func TestTimelineRehearsal(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,goroutines&tasks=4&size=1000000&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, time.Minute)
	type seen struct {
		Steps           int
		LastEnd, Warmup float64
		Boxes, Cards    int
	}
	got := eval[seen](t, ctx, `(() => {
		const steps = performance.getEntriesByName("lanes timeline").filter(e => e.detail === "rehearsal");
		return {
			steps: steps.length,
			lastEnd: Math.max(...steps.map(e => e.startTime + e.duration)),
			warmup: performance.getEntriesByName("lanes run")[0].startTime,
			boxes: document.querySelectorAll(".tl").length,
			cards: document.querySelectorAll(".run .tl").length,
		};
	})()`)
	assert.GreaterOrEqual(t, got.Steps, 2*5+2*14, "the rehearsal's steps")
	assert.LessOrEqual(t, got.LastEnd, got.Warmup, "the rehearsal ends before the warm-up's first run")
	assert.Equal(t, 2, got.Cards, "the runs' timelines")
	assert.Equal(t, got.Cards, got.Boxes, "timelines on the page: the runs' alone")
	alive(t, ctx)
}

// touch sends a touch event with the given points (none for a touchEnd).
func touch(t *testing.T, ctx context.Context, typ input.DispatchTouchEventType, points ...[2]float64) {
	t.Helper()
	p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
	for i, xy := range points {
		id := float64(i)
		p.TouchPoints = append(p.TouchPoints, &input.TouchPoint{X: xy[0], Y: xy[1], ID: &id})
	}
	if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, p); err != nil {
		t.Fatalf("touch: %v", err)
	}
}

// TestTimelinePhone reads a timeline as on a phone, 375 px wide at twice
// the pixels: the buttons zoom, a finger drags and two pinch, a tap shows
// a task's details, and nothing spills sideways.
func TestTimelinePhone(t *testing.T) {
	ctx := page(t)
	do(t, ctx, chromedp.EmulateViewport(375, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	open(t, ctx, "/?demo=cpu-sumsq")
	loadReport(t, ctx, statesReport())
	frame := func() {
		eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	}
	view := func() []float64 {
		return eval[[]float64](t, ctx, `(() => { const d = document.querySelector('`+stage("hybrid")+`').dataset; return [+d.from, +d.to]; })()`)
	}
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 375, "nothing spills sideways")
	assert.Equal(t, 2*eval[int](t, ctx, `document.querySelector('`+stage("hybrid")+` canvas').clientWidth`),
		eval[int](t, ctx, `document.querySelector('`+stage("hybrid")+` canvas').width`), "drawn at the screen's pixels")

	place(t, ctx, "hybrid")
	do(t, ctx, chromedp.Tap(chromedp.CSS(`.run[data-strategy="hybrid"] [data-act="in"]`)))
	frame()
	assert.InDelta(t, 145*0.8, view()[1]-view()[0], 0.01, "zoomed in by the button")

	// A finger drags the view towards later times.
	w := place(t, ctx, "hybrid")
	before := view()
	y := w.y(1)
	touch(t, ctx, input.DispatchTouchEventTypeTouchStart, [2]float64{w.x(90), y})
	for i := 1; i <= 5; i++ {
		touch(t, ctx, input.DispatchTouchEventTypeTouchMove, [2]float64{w.x(90 - 8*float64(i)), y})
	}
	touch(t, ctx, input.DispatchTouchEventTypeTouchEnd)
	frame()
	assert.Greater(t, view()[0], before[0]+10, "dragged")

	// Two fingers pinch it open: zoomed in.
	w = place(t, ctx, "hybrid")
	width := view()[1] - view()[0]
	mid := (w.From + w.To) / 2
	touch(t, ctx, input.DispatchTouchEventTypeTouchStart, [2]float64{w.x(mid - 5), y})
	touch(t, ctx, input.DispatchTouchEventTypeTouchStart, [2]float64{w.x(mid - 5), y}, [2]float64{w.x(mid + 5), y})
	for i := 1; i <= 4; i++ {
		d := 5 + 5*float64(i)
		touch(t, ctx, input.DispatchTouchEventTypeTouchMove, [2]float64{w.x(mid - d), y}, [2]float64{w.x(mid + d), y})
	}
	touch(t, ctx, input.DispatchTouchEventTypeTouchEnd)
	frame()
	assert.Less(t, view()[1]-view()[0], width/2, "pinched open")

	do(t, ctx, chromedp.Tap(chromedp.CSS(`.run[data-strategy="hybrid"] [data-act="reset"]`)))
	frame()
	assert.Equal(t, []float64{0, 145}, view())

	// A tap on task 2 (lane 2, 8–78 ms) says what it did.
	w = place(t, ctx, "hybrid")
	do(t, ctx, chromedp.TapXY(w.x(60), w.y(2)))
	waitFor(t, ctx, `document.querySelector('.run[data-strategy="hybrid"] .tl-details').textContent.startsWith("Task 2 on lane 2")`, 5*time.Second)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector('.run[data-strategy="hybrid"] .tl-details').textContent`), "handed to a worker: 43.0 ms–48.0 ms")
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 375, "the details fit")
	alive(t, ctx)
}
