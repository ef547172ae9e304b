package timeline

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// semaphore is a run of a semaphore of 2 permits over 4 tasks: each waits
// for its permit off the lanes, then waits on I/O and computes on its lane;
// task 3 fails and task 1's result waits behind task 0's.
func semaphore() report.Run {
	task := func(id, lane int, permit, io, end, delivered float64) report.Task {
		t := report.Task{ID: id, Lane: lane, StartMs: permit, EndMs: end, DeliveredMs: delivered, Value: "7"}
		if permit > 0 {
			t.Phases = append(t.Phases, report.Phase{State: report.StatePermit, StartMs: 0, EndMs: permit})
		}
		t.Phases = append(t.Phases,
			report.Phase{State: report.StateIOWait, StartMs: permit, EndMs: io},
			report.Phase{State: report.StateCompute, StartMs: io, EndMs: end})
		if delivered > end {
			t.Phases = append(t.Phases, report.Phase{State: report.StateUndelivered, StartMs: end, EndMs: delivered})
		}
		return t
	}
	run := report.Run{Strategy: "semaphore", WallMs: 100, Tasks: []report.Task{
		task(0, 0, 0, 30, 50, 50),
		task(1, 1, 0, 10, 20, 50),
		task(2, 0, 50, 70, 90, 90),
		task(3, 1, 20, 40, 60, 90),
	}}
	run.Tasks[3].Error = "boom <b>"
	run.Tasks[3].Value = ""
	return run
}

func TestModel(t *testing.T) {
	m := New(semaphore(), 0)
	assert.Equal(t, 100.0, m.Span())
	assert.Equal(t, 4, m.Len())
	assert.Equal(t, 2, m.Lanes())
	assert.False(t, m.Dense())
	for _, k := range []Kind{IOWait, Compute, Running, Permit, Undelivered} {
		assert.True(t, m.Has(k), k.Name())
	}
	for _, k := range []Kind{Ran, Queued, Lock} {
		assert.False(t, m.Has(k), k.Name())
	}
	assert.Equal(t, 2, m.mostOf[Running], "two permits")
	assert.Equal(t, 2, m.mostOf[Permit], "tasks 2 and 3 wait for a permit from 0 to 20")
	assert.Equal(t, 4, m.most)
	assert.Equal(t, 1, m.mostOf[Undelivered])
	// By lane, then start.
	var ids []int
	for i := range m.Len() {
		ids = append(ids, m.Task(i).ID)
	}
	assert.Equal(t, []int{0, 2, 1, 3}, ids)

	t.Run("without phases", func(t *testing.T) {
		m := New(report.Run{WallMs: 10, Tasks: []report.Task{
			{ID: 0, Lane: 0, StartMs: 0, EndMs: 5}, {ID: 1, Lane: 3, StartMs: 2, EndMs: 9},
			{ID: 2, Lane: -1, Error: "not started: context canceled"},
		}}, 40)
		assert.Equal(t, 40.0, m.Span(), "the shared scale")
		assert.Equal(t, 2, m.Len(), "a task that never started has no bar")
		assert.Equal(t, 2, m.Rows())
		assert.True(t, m.Has(Ran))
		assert.True(t, m.Has(Running))
		assert.False(t, m.Has(Compute))
		assert.Equal(t, 2, m.most)
	})
	t.Run("a sketch", func(t *testing.T) {
		m := &Model{}
		m.Sketch(semaphore(), 0)
		g := m.Layout(560)
		var img Image
		img.SizeFor(g, 1)
		m.Draw(&img, g, m.Whole(), DefaultPalette())
		assert.True(t, m.sketch, "read off the columns")
		assert.Equal(t, 4, m.most, "four tasks, two on lanes and two waiting, for 20 ms")
		assert.Equal(t, 2, m.mostOf[Permit])
		assert.Contains(t, m.Text(g, m.Whole()), ">max 4<")
	})
	t.Run("handed over before it starts", func(t *testing.T) {
		// A remote task's dispatch comes before its StartMs, when its
		// worker began it: the lane holds it from the dispatch on.
		m := New(report.Run{WallMs: 30, Tasks: []report.Task{{ID: 0, Lane: 0, StartMs: 10, EndMs: 20, DeliveredMs: 21, Phases: []report.Phase{
			{State: report.StateQueued, StartMs: 0, EndMs: 4}, {State: report.StateDispatch, StartMs: 4, EndMs: 10},
			{State: report.StateCompute, StartMs: 10, EndMs: 20}, {State: report.StateUndelivered, StartMs: 20, EndMs: 21}}}}}, 0)
		g := m.Layout(560)
		x, _, w, _, ok := m.Bounds(g, m.Whole(), 0)
		require.True(t, ok)
		assert.InDelta(t, g.X(m.Whole(), 4), x, 1e-9)
		assert.InDelta(t, g.X(m.Whole(), 20)-g.X(m.Whole(), 4), w, 1e-9)
		assert.Equal(t, 0, m.At(g, m.Whole(), g.X(m.Whole(), 6), 11), "pointing at its dispatch")
	})
	t.Run("10,000 lanes", func(t *testing.T) {
		m := New(many(10_000, true), 0)
		assert.True(t, m.Dense())
		assert.Equal(t, 18, m.Rows())
		assert.Equal(t, 556, m.perRow)
		first, last := m.rowLanes(17)
		assert.Equal(t, 9452, first)
		assert.Equal(t, 9999, last)
		assert.Equal(t, 548, m.rowSize(17))
	})
	t.Run("44 lanes fit, 45 do not", func(t *testing.T) {
		assert.False(t, New(many(44, true), 0).Dense())
		assert.True(t, New(many(45, true), 0).Dense())
	})
	t.Run("reset reuses", func(t *testing.T) {
		m := New(many(1000, true), 0)
		m.Reset(semaphore(), 0)
		assert.Equal(t, New(semaphore(), 0), m)
	})
	t.Run("in steps", func(t *testing.T) {
		// 6,000 tasks: three steps of reading (2,500, 2,500, 1,000), one of
		// arranging, three of counting; begun over another run's model.
		run := many(6000, true)
		m := New(pooled(3000, 8), 0)
		m.Begin(run, 0)
		steps := 1
		for m.Step() {
			steps++
		}
		assert.Equal(t, 7, steps)
		assert.False(t, m.Step(), "made: nothing left")
		assert.Equal(t, New(run, 0), m)
		assert.Equal(t, 6000, m.most, "every task waits at once")
	})
}

// many is n tasks: one per lane (goroutines) or all on one lane
// (sequential), each waiting on I/O, then computing.
func many(n int, perLane bool) report.Run {
	run := report.Run{Strategy: "goroutines", WallMs: 100}
	for i := range n {
		lane, start := i, float64(i%7)
		if !perLane {
			lane, start = 0, 100*float64(i)/float64(n)
		}
		end := start + 90
		if !perLane {
			end = start + 100/float64(n)
		}
		mid := (start + end) / 2
		run.Tasks = append(run.Tasks, report.Task{ID: i, Lane: lane, StartMs: start, EndMs: end, DeliveredMs: end,
			Phases: []report.Phase{
				{State: report.StateQueued, StartMs: 0, EndMs: start},
				{State: report.StateIOWait, StartMs: start, EndMs: mid},
				{State: report.StateCompute, StartMs: mid, EndMs: end}}})
	}
	return run
}

func TestView(t *testing.T) {
	m := New(semaphore(), 0)
	whole := m.Whole()
	assert.Equal(t, View{0, 100}, whole)
	in := m.Zoom(whole, 0.5, 20)
	assert.InDelta(t, 10, in.From, 1e-9, "20 ms keeps its place")
	assert.InDelta(t, 60, in.To, 1e-9)
	assert.Equal(t, whole, m.Zoom(in, 10, 20), "no wider than the run")
	right := m.Pan(in, 0.2)
	assert.InDelta(t, 20, right.From, 1e-9)
	assert.Equal(t, View{50, 100}, m.Pan(in, 5), "no further than the end")
	assert.Equal(t, View{0, 50}, m.Pan(in, -5))
	deep := whole
	for range 200 {
		deep = m.Zoom(deep, 0.5, 50)
	}
	assert.InDelta(t, 1e-3, deep.Width(), 1e-9, "at most a microsecond")
	assert.Equal(t, whole, m.Clamp(View{}), "a view of nothing")
}

func TestDraw(t *testing.T) {
	m := New(semaphore(), 0)
	g := m.Layout(560)
	assert.Equal(t, 560.0, g.W)
	assert.Equal(t, 44.0, g.LanesH, "two lanes of 22 px")
	var img Image
	img.SizeFor(g, 1)
	require.Equal(t, 560, img.W)
	pal := DefaultPalette()
	m.Draw(&img, g, m.Whole(), pal)
	at := func(css float64, y float64) Color {
		x := int(css)
		var c Color
		copy(c[:], img.Pix[4*(int(y)*img.W+x):])
		return c
	}
	xOf := func(ms float64) float64 { return g.X(m.Whole(), ms) }
	// Lane 0: task 0 waits on I/O 0–30 ms, computes 30–50 ms.
	assert.Equal(t, pal.Ink(Compute), at(xOf(40), 11), "computing is solid")
	io := at(xOf(15), 11)
	assert.Contains(t, []Color{pal.ink[IOWait], pal.shade[IOWait]}, io, "waiting on I/O is hatched")
	hatch := map[Color]bool{}
	for x := xOf(5); x < xOf(25); x++ {
		hatch[at(x, 11)] = true
	}
	assert.Len(t, hatch, 2, "lines over a shade")
	assert.Equal(t, Color{}, at(xOf(95), 11), "idle after the last task")
	// Task 3 (lane 1, 20–60 ms) failed: outlined.
	assert.Equal(t, pal.ink[inkFailed], at(xOf(40), 22+3), "the outline's top edge")
	// Task 1's result (lane 1, done at 20 ms) was held until 50 ms, while
	// task 3 ran on the lane: its mark is drawn over task 3.
	assert.Equal(t, pal.ink[inkDelivered], at(xOf(50), 22+11), "a held result's mark")
	// The strip at 10 ms: 2 running, 2 waiting for a permit, of at most 4:
	// the bottom half running, the top half hatched.
	bottom, top := g.StripTop+g.StripH-stripPad, g.StripTop+stripPad
	assert.Equal(t, pal.Ink(Running), at(xOf(10), bottom-2))
	assert.Contains(t, []Color{pal.ink[Permit], pal.shade[Permit]}, at(xOf(10), top+2))
	// At 95 ms nothing is counted.
	assert.Equal(t, Color{}, at(xOf(95), bottom-2))

	t.Run("zoomed", func(t *testing.T) {
		v := View{30, 50} // task 0's computing fills the plot
		m.Draw(&img, g, v, pal)
		assert.Equal(t, pal.Ink(Compute), at(g.PlotL+2, 11))
		assert.Equal(t, pal.Ink(Compute), at(g.PlotL+g.PlotW-2, 11))
		assert.Equal(t, Color{}, at(g.PlotL-2, 11), "nothing spills into the names")
		m.Draw(&img, g, View{10, 20}, pal) // task 1 computing on lane 1
		assert.Equal(t, pal.Ink(Compute), at(g.PlotL+g.PlotW-0.5, 22+11), "task 3, from 20 ms, is out of view")
		m.Draw(&img, g, View{50, 70}, pal) // task 1's result delivered at 50 ms, on the plot's edge
		assert.Equal(t, pal.ink[inkDelivered], at(g.PlotL, 22+11), "the mark of a task out of view")
		assert.Equal(t, Color{}, at(g.PlotL-1, 22+11), "within the plot")
		for _, scale := range []float64{1, 1.1} { // the plot's left edge on a pixel, and within one
			var img Image
			img.SizeFor(g, scale)
			m.Draw(&img, g, View{90, 100}, pal)
			x, y := img.dev(g.PlotL), img.dev(11)
			assert.Equal(t, Color{}, Color(img.Pix[4*(y*img.W+x):]), "nor task 2, until 90 ms: lane 0 is idle (scale %g)", scale)
		}
	})
	t.Run("high density screen", func(t *testing.T) {
		var hi Image
		hi.SizeFor(g, 2)
		assert.Equal(t, 1120, hi.W)
		m.Draw(&hi, g, m.Whole(), pal)
		assert.Equal(t, pal.Ink(Compute), Color(hi.Pix[4*(22*hi.W+int(2*xOf(40))):]))
	})
}

// TestDensity draws 100 lanes, too many to fit, each half waiting on I/O
// and half computing: the rows' columns show the two shares, stacked,
// computing at the bottom.
func TestDensity(t *testing.T) {
	run := report.Run{Strategy: "goroutines", WallMs: 100}
	for i := range 100 {
		run.Tasks = append(run.Tasks, report.Task{ID: i, Lane: i, StartMs: 0, EndMs: 100, Phases: []report.Phase{
			{State: report.StateIOWait, StartMs: 0, EndMs: 100},
		}})
		if i%2 == 0 {
			run.Tasks[i].Phases[0].State = report.StateCompute
		}
	}
	m := New(run, 0)
	require.True(t, m.Dense())
	g := m.Layout(500)
	var img Image
	img.SizeFor(g, 1)
	pal := DefaultPalette()
	m.Draw(&img, g, m.Whole(), pal)
	x := int(g.X(m.Whole(), 50))
	col := func(y float64) Color { return Color(img.Pix[4*(int(y)*img.W+x):]) }
	top, bottom := 0.0, g.RowH
	assert.Equal(t, pal.Ink(Compute), col(bottom-2), "computing at the bottom")
	assert.Contains(t, []Color{pal.ink[IOWait], pal.shade[IOWait]}, col(top+2), "waiting on I/O above")
	assert.Contains(t, m.RowDetails(0, 50), "3 computing, 3 waiting on I/O, 0 idle")
	assert.Contains(t, m.RowDetails(0, 99.5), ", 0 idle")
	assert.Contains(t, m.RowDetails(0, 100), ": 6 idle", "all done")
	assert.Equal(t, -1, m.At(g, m.Whole(), float64(x), 5), "a density row's tasks are not told apart")
	overlap := run
	overlap.Tasks = append(slices.Clone(run.Tasks), report.Task{ID: 100, Lane: 0, StartMs: 40, EndMs: 60,
		Phases: []report.Phase{{State: report.StateCompute, StartMs: 40, EndMs: 60}}})
	assert.Contains(t, New(overlap, 0).RowDetails(0, 50), "4 computing, 3 waiting on I/O, 0 idle", "two tasks on a lane at once (a clock's rounding) leave none idle, not -1")

	// Half the lanes idle from 50 ms: the rows keep their shares, at a
	// lighter shade (the square root of the busy half, in 16 steps).
	for i := range run.Tasks {
		if i%2 == 1 {
			run.Tasks[i].EndMs, run.Tasks[i].Phases[0].EndMs = 50, 50
		}
	}
	m = New(run, 0)
	m.Draw(&img, g, m.Whole(), pal)
	x = int(g.X(m.Whole(), 75))
	assert.Equal(t, byte(11*17), col(bottom - 2)[3], "half busy: a lighter shade")
	ink, got := pal.Ink(Compute), col(bottom-2)
	assert.Equal(t, ink[:3], got[:3], "the same colour")
	assert.Equal(t, byte(255), Color(img.Pix[4*(int(bottom-2)*img.W+int(g.X(m.Whole(), 25))):])[3], "all busy before")
}

func TestFindAndMove(t *testing.T) {
	m := New(semaphore(), 0)
	g := m.Layout(560)
	v := m.Whole()
	i := m.At(g, v, g.X(v, 40), 11)
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, 0, m.Task(i).ID)
	assert.Equal(t, 3, m.Task(m.At(g, v, g.X(v, 40), 33)).ID, "lane 1")
	assert.Equal(t, -1, m.At(g, v, g.X(v, 97), 11), "idle")
	assert.Equal(t, -1, m.At(g, v, g.X(v, 40), g.LanesH+3), "under the lanes")
	assert.Equal(t, 2, m.Task(m.At(g, v, g.X(v, 50)+2, 11)).ID, "task 2 starts at 50 ms")

	first := m.Move(-1, Next, v)
	assert.Equal(t, 0, m.Task(first).ID)
	assert.Equal(t, 2, m.Task(m.Move(first, Next, v)).ID)
	assert.Equal(t, 2, m.Task(m.Move(m.Move(first, Next, v), Next, v)).ID, "the lane's last task")
	assert.Equal(t, 0, m.Task(m.Move(first, Prev, v)).ID)
	down := m.Move(first, Down, v)
	assert.Equal(t, 3, m.Task(down).ID, "lane 1's task nearest to the middle of task 0 (0–50 ms): task 3 (20–60 ms)")
	assert.Equal(t, 0, m.Task(m.Move(down, Up, v)).ID)
	assert.Equal(t, down, m.Move(down, Down, v), "no lane below")
	assert.Equal(t, 1, m.Task(m.Move(down, First, v)).ID)
	assert.Equal(t, 2, m.Task(m.Move(-1, Next, View{60, 100})).ID, "the first task in view")
	assert.Equal(t, 2, m.Task(m.Move(-1, Next, View{50, 100})).ID, "task 0 ends where the view begins: out of it")
	assert.Equal(t, -1, m.At(g, View{90, 100}, g.PlotL+1, 11), "task 2 ends where the view begins: not drawn, not found")
	_, _, _, _, shown := m.Bounds(g, View{90, 100}, m.Move(first, Next, v))
	assert.False(t, shown, "nor ringed")

	zoomed := View{0, 10}
	moved := m.Show(zoomed, m.Move(first, Next, v)) // task 2: 50–90 ms
	assert.InDelta(t, 10, moved.Width(), 1e-9)
	assert.InDelta(t, 70, (moved.From+moved.To)/2, 1e-9)
	assert.Equal(t, zoomed, m.Show(zoomed, first), "task 0 is in view")

	x, y, w, h, ok := m.Bounds(g, v, down)
	assert.True(t, ok)
	assert.InDelta(t, g.X(v, 20), x, 1e-9)
	assert.InDelta(t, 22, y, 1e-9)
	assert.InDelta(t, g.X(v, 60)-g.X(v, 20), w, 1e-9)
	assert.InDelta(t, 22, h, 1e-9)
	_, _, _, _, ok = m.Bounds(g, View{70, 100}, down)
	assert.False(t, ok)
}

func TestWords(t *testing.T) {
	m := New(semaphore(), 0)
	i := m.At(m.Layout(560), m.Whole(), m.Layout(560).X(m.Whole(), 40), 33)
	d := m.Details(i)
	assert.Contains(t, d, "Task 3 on lane 1</span>: on its lane 20.0 ms–60.0 ms (40.0 ms), delivered at 90.0 ms.")
	assert.Contains(t, d, "waiting for a permit: 0.0 ms–20.0 ms (20.0 ms)")
	assert.Contains(t, d, "computing: 40.0 ms–60.0 ms (20.0 ms)")
	assert.Contains(t, d, "Error: boom &lt;b&gt;", "escaped")
	assert.Contains(t, m.Details(0), "Value: <output>7</output>")

	label := m.Label("semaphore", m.Whole())
	assert.Equal(t, "Timeline of semaphore: 4 tasks on 2 lanes over 100.0 ms. On the lanes: waiting on I/O, computing. "+
		"Under the axis, tasks on a lane (at most 2), waiting for a permit (at most 2), done, not yet delivered (at most 1). Some tasks failed.", label)
	assert.Contains(t, m.Label("semaphore", View{10, 20}), "Showing 10.0 ms to 20.0 ms.")
	assert.Equal(t, "", m.Range(m.Whole()))
	assert.Equal(t, "showing 10.0 ms–20.0 ms of 100.0 ms", m.Range(View{10, 20}))
	assert.Equal(t, "showing 0.125 ms–0.250 ms of 100.0 ms", m.Range(View{0.125, 0.25}), "digits enough to tell its ends apart")
	assert.Equal(t, "0.0 ms", fmtMs(0))
	assert.Equal(t, "1.25 s", fmtMs(1250))
	assert.Contains(t, New(many(10_000, true), 0).Label("goroutines", View{0, 96}), "10000 tasks on 10000 lanes over 100.0 ms, drawn as 18 rows of up to 556 lanes")

	legend := m.Legend()
	for _, want := range []string{"waiting on I/O", "computing", "failed", "result delivered", "on a lane", "waiting for a permit", "done, not yet delivered"} {
		assert.Contains(t, legend, ">"+want+"</li>")
	}
	assert.NotContains(t, legend, "queued", "only what is drawn")
	assert.Equal(t, 7, strings.Count(legend, `<span class="tl-swatch"`))
	assert.NotContains(t, legend, "a row is")
	assert.Contains(t, New(many(10_000, true), 0).Legend(), "a row is 556 lanes")

	text := m.Text(m.Layout(560), m.Whole())
	assert.Contains(t, text, `class="lane-name"`)
	assert.Contains(t, text, ">max 4</text>")
	assert.Contains(t, text, ">0 ms</text>")
	assert.Contains(t, New(many(10_000, true), 0).Text(m.Layout(560), m.Whole()), ">0–555</text>")
}

func TestTicks(t *testing.T) {
	assert.Equal(t, 20.0, niceStep(13))
	assert.Equal(t, 0.5, niceStep(0.31))
	assert.Equal(t, 1000.0, niceStep(700))
	assert.Equal(t, 0.002, niceStep(0.0017))
	assert.Equal(t, "250 ms", tickLabel(250, 50))
	assert.Equal(t, "1.5 s", tickLabel(1500, 500))
	assert.Equal(t, "12.5 ms", tickLabel(12.5, 0.5))
	assert.Equal(t, "1000.004 ms", tickLabel(1000.004, 0.002), "a zoomed-in second keeps its digits")
	assert.Equal(t, "2 s", tickLabel(2000, 1000))
}

func TestPalette(t *testing.T) {
	for s, want := range map[string]Color{
		"#0b4f8a":                   {0x0b, 0x4f, 0x8a, 255},
		" #fff":                     {255, 255, 255, 255},
		"rgba(127, 127, 127, 0.07)": {127, 127, 127, 18},
		"rgb(1 2 3)":                {1, 2, 3, 255},
	} {
		c, ok := ParseColor(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, c, s)
	}
	for _, s := range []string{"", "blue", "#12", "rgb(1, 2)", "rgb(1, x, 3)"} {
		_, ok := ParseColor(s)
		assert.False(t, ok, s)
	}
	p := NewPalette(func(name string) string {
		if name == "--tl-compute" {
			return "#000000"
		}
		return ""
	})
	assert.Equal(t, Color{0, 0, 0, 255}, p.Ink(Compute))
	assert.Equal(t, DefaultPalette().Ink(IOWait), p.Ink(IOWait))
}

// TestStyleSheetColors: the style sheet gives every kind, and the marks,
// a colour the palette reads, in the light theme and in both places the
// dark one is written.
func TestStyleSheetColors(t *testing.T) {
	css, err := os.ReadFile("../static/style.css")
	require.NoError(t, err)
	blocks := regexp.MustCompile(`(?s)(:root(?:\[data-theme="dark"\]|:not\(\[data-theme="light"\]\))? \{.*?\})`).FindAllString(string(css), -1)
	require.Len(t, blocks, 3, "light, dark by preference, dark by theme=")
	for _, block := range blocks {
		for key := range lightColors {
			name := "--tl-" + key
			if key == "panel" {
				name = "--panel"
			}
			m := regexp.MustCompile(regexp.QuoteMeta(name) + `:\s*([^;]+);`).FindStringSubmatch(block)
			if assert.NotNil(t, m, "%s in %.40s", name, block) {
				_, ok := ParseColor(m[1])
				assert.True(t, ok, "%s: %s", name, m[1])
			}
		}
	}
	light := blocks[0]
	for key, want := range lightColors {
		if key != "panel" {
			assert.Contains(t, light, "--tl-"+key+": "+want+";", "the light theme's colours are lightColors")
		}
	}
}

// TestRadixSortSorts sorts random keys of every width, some bytes alike
// in all of them, against slices.Sort.
func TestRadixSortSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var spare []uint64
	for n := range 300 {
		mask := rng.Uint64() >> rng.IntN(64)
		fixed := rng.Uint64() &^ mask // bytes every key shares
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = fixed | rng.Uint64()&mask
		}
		want := slices.Sorted(slices.Values(keys))
		var got []uint64
		got, spare = radixSort(keys, spare)
		if !slices.Equal(got, want) {
			t.Fatalf("%d keys, mask %#x: sorted wrong", n, mask)
		}
	}
}

// TestSpanIsUnderAColumnWider: a stretch drawn spans fewer columns than
// its width in device pixels plus one, whatever the view and the plot,
// which lets a drawing skip a stretch too narrow for a gap, an outline or
// a mark without placing it.
func TestSpanIsUnderAColumnWider(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100_000 {
		v := View{From: rng.Float64() * 50, To: 50 + rng.Float64()*50}
		px0 := rng.IntN(100)
		px1 := px0 + 1 + rng.IntN(1000)
		xb := float64(px1-px0) / v.Width() * (0.5 + rng.Float64())
		xa := float64(px0) - xb*v.From + rng.Float64()
		a := v.From + (rng.Float64()*1.2-0.1)*v.Width()
		b := a + rng.Float64()*rng.Float64()*8/xb
		c0, c1, ok := span(a, b, v, xa, xb, px0, px1)
		if ok && float64(c1-c0) >= xb*(b-a)+1 {
			t.Fatalf("span(%g, %g) in %v at %g + %g·ms, plot %d–%d: columns %d–%d, %g pixels wide", a, b, v, xa, xb, px0, px1, c0, c1, xb*(b-a))
		}
	}
}

// TestCoverIsEachColumnsShare covers random stretches of columns, many
// in one column as ten thousand tasks on one lane are, and checks each
// column's total against its share covered, summed in float64 by
// overlap: within 1e-4 of it, or of one column when it is less (a
// hundredth of a pixel of a stack 100 pixels high); and nothing at all
// in a column no stretch reached.
func TestCoverIsEachColumnsShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		cols := 1 + rng.IntN(50)
		acc, diff := make([]float32, cols+1), make([]float32, cols+1)
		want := make([]float64, cols+1)
		for range rng.IntN(2000) {
			x0 := rng.Float64()*float64(cols+4) - 2
			x1 := x0 + rng.Float64()*rng.Float64()*float64(cols)
			if rng.IntN(2) == 0 {
				x1 = x0 + rng.Float64()*0.01 // narrower than a column
			}
			cover(acc, diff, x0, x1)
			for c := range cols {
				want[c] += max(0, min(x1, float64(c+1))-max(x0, float64(c)))
			}
		}
		total(acc, diff)
		for c, w := range want {
			if got := float64(acc[c]); math.Abs(got-w) > 1e-4*max(1, w) || (w == 0) != (got == 0) {
				t.Fatalf("%d columns: column %d covered %g, want %g", cols, c, got, w)
			}
		}
	}
}

// TestStackColumnByPixel paints random one-column stacks, in every
// pattern and at every opacity, and checks each pixel against what a
// stack is: in each row from a kind's top down to the next kind's, or
// the bottom, that kind's pattern at the row; the run's opacity over all
// of it when it is less than whole, the pattern's own when it is whole;
// and nothing above the stack, nor in other columns.
func TestStackColumnByPixel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pal := DefaultPalette()
	for _, scale := range []float64{1, 2, 1.5} {
		var img Image
		img.Resize(12, 40, scale)
		img.Prepare(pal)
		for range 300 {
			clear(img.Pix)
			order := laneOrder[:1+rng.IntN(len(laneOrder))]
			bottom := 1 + rng.IntN(img.H)
			tops := make([]int, len(order)+1)
			y := bottom
			for i := range order {
				y -= rng.IntN(y+1) / 2 // some kinds no height at all
				tops[i] = y
			}
			tops[len(order)] = 255
			if rng.IntN(2) == 0 {
				tops[len(order)] = rng.IntN(256)
			}
			x := rng.IntN(img.W)
			img.stackRun(order, tops, bottom, x, x+1)
			for yy := range img.H {
				for xx := range img.W {
					var want [4]byte
					k := -1
					for i := range order {
						if yy >= tops[i] && yy < bottom {
							k = i
							break
						}
					}
					if xx == x && k >= 0 {
						tile := img.tiles[order[k]]
						copy(want[:], tile[yy%len(tile)][4*xx:])
						if a := tops[len(order)]; a < 255 {
							want[3] = byte(a)
						}
					}
					o := 4 * (yy*img.W + xx)
					if got := [4]byte(img.Pix[o : o+4]); got != want {
						t.Fatalf("scale %v, stack %v of %v over %d at column %d: pixel (%d, %d) is %v, want %v", scale, tops, order, bottom, x, xx, yy, got, want)
					}
				}
			}
		}
	}
}

// BenchmarkDraw10k times the timeline's Go with 10,000 tasks, a goroutine
// each (density rows), on a pool of 8 lanes and all on one lane: a
// finished run's model (new), a live run's model sketched again with 250
// more tasks (live), its drawing whole (draw) and zoomed in (zoomed).
// make bench runs it in wasm under Node, built as the page's code is
// (the Makefile's WASMGCFLAGS: without inlining but in the packages it
// names, math among them).
func BenchmarkDraw10k(b *testing.B) {
	for _, tt := range []struct {
		name string
		run  func() report.Run
	}{
		{"goroutines", func() report.Run { return many(10_000, true) }},
		{"pool", func() report.Run { return pooled(10_000, 8) }},
		{"sequential", func() report.Run { return many(10_000, false) }},
	} {
		m := New(tt.run(), 0)
		g := m.Layout(900)
		var img Image
		img.SizeFor(g, 1)
		pal := DefaultPalette()
		b.Run(tt.name+"/new", func(b *testing.B) {
			run := tt.run()
			for b.Loop() {
				m.Reset(run, 0)
			}
		})
		b.Run(tt.name+"/live", func(b *testing.B) { // sketched again with 250 tasks more
			run := tt.run()
			before := run
			before.Tasks = run.Tasks[:len(run.Tasks)-250]
			var live Model
			live.Reserve(len(run.Tasks))
			for b.Loop() {
				b.StopTimer()
				live.Sketch(before, 0)
				b.StartTimer()
				live.Sketch(run, 0)
			}
		})
		b.Run(tt.name+"/draw", func(b *testing.B) {
			for b.Loop() {
				m.Draw(&img, g, m.Whole(), pal)
			}
		})
		b.Run(tt.name+"/zoomed", func(b *testing.B) {
			v := View{40, 45}
			for b.Loop() {
				m.Draw(&img, g, v, pal)
			}
		})
	}
}

// pooled is a run of n tasks on a pool of lanes, taken in turn, each
// queued from the run's start until its lane takes it.
func pooled(n, lanes int) report.Run {
	run := report.Run{Strategy: "pool", Lanes: lanes}
	per := 1000 * float64(lanes) / float64(n)
	for i := range n {
		start := float64(i/lanes) * per
		end := start + per*(0.6+0.4*float64(i%5)/4)
		mid := start + (end-start)*0.7
		t := report.Task{ID: i, Lane: i % lanes, StartMs: start, EndMs: end, DeliveredMs: end, Phases: []report.Phase{
			{State: report.StateIOWait, StartMs: start, EndMs: mid}, {State: report.StateCompute, StartMs: mid, EndMs: end}}}
		if start > 0 {
			t.Phases = append([]report.Phase{{State: report.StateQueued, StartMs: 0, EndMs: start}}, t.Phases...)
		}
		run.Tasks = append(run.Tasks, t)
		run.WallMs = max(run.WallMs, end)
	}
	return run
}

// arriving is a run of n tasks as a live drawing meets it, in the order
// they finish: on lanes of up to lanes (none for some, cancelled while
// queued), each with a few states of any kind.
func arriving(rng *rand.Rand, n, lanes int) report.Run {
	run := report.Run{Strategy: "goroutines", Lanes: lanes}
	for i := range n {
		lane := rng.IntN(lanes)
		if rng.IntN(20) == 0 {
			lane = -1
		}
		t := report.Task{ID: i, Lane: lane, Error: strings.Repeat("x", rng.IntN(30)/29)}
		at := rng.Float64() * 50
		for range 1 + rng.IntN(4) {
			end := at + rng.Float64()*20
			t.Phases = append(t.Phases, report.Phase{State: report.States[rng.IntN(len(report.States))], StartMs: at, EndMs: end})
			at = end
		}
		t.StartMs, t.EndMs = t.Phases[0].StartMs, at
		if rng.IntN(2) == 0 {
			t.DeliveredMs = at + rng.Float64()*5
		}
		run.Tasks = append(run.Tasks, t)
		run.WallMs = max(run.WallMs, at)
	}
	slices.SortStableFunc(run.Tasks, func(a, b report.Task) int { return cmp.Compare(a.EndMs, b.EndMs) })
	return run
}

// TestSketchReadsWhatGrew: a run sketched again as it grows (read only
// from where the last sketch stopped) draws, words and all, as the same
// run sketched afresh; a run that is not the last one grown is read
// afresh.
func TestSketchReadsWhatGrew(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pal := DefaultPalette()
	same := func(t *testing.T, got *Model, run report.Run, span float64) {
		t.Helper()
		var want Model
		for want.Sketch(run, span); want.read < len(run.Tasks); want.Sketch(run, span) { // a readStep at a time
		}
		want.most = got.most // the strip's scale, read off the last drawing
		g := got.Layout(700)
		var a, b Image
		a.SizeFor(g, 1.5)
		b.SizeFor(g, 1.5)
		got.Draw(&a, g, got.Whole(), pal)
		want.Draw(&b, g, want.Whole(), pal)
		require.Equal(t, want.Len(), got.Len())
		require.Equal(t, want.Lanes(), got.Lanes())
		require.Equal(t, want.Shows(), got.Shows())
		require.True(t, slices.Equal(b.Pix, a.Pix), "%d tasks: the drawing differs", len(run.Tasks))
		require.Equal(t, want.Text(g, want.Whole()), got.Text(g, got.Whole()))
		require.Equal(t, want.Legend(), got.Legend())
		for i := range got.Len() {
			require.Equal(t, want.Details(i), got.Details(i))
		}
	}
	for _, lanes := range []int{1, 3, 40, 5000} {
		whole := arriving(rng, 3000, lanes)
		var m Model
		m.Reserve(len(whole.Tasks))
		for n := 0; n < len(whole.Tasks); {
			n = min(len(whole.Tasks), n+1+rng.IntN(400))
			run := whole
			run.Tasks = slices.Clone(whole.Tasks[:n]) // new memory, as a run's tasks grow
			if m.Len() > 0 {
				require.True(t, m.grew(run), "%d tasks: read from where it stopped", n)
			}
			m.Sketch(run, 80)
			same(t, &m, run, 80)
		}
		other := arriving(rng, 2000, lanes)
		assert.False(t, m.grew(other), "another run")
		m.Sketch(other, 0)
		same(t, &m, other, 0)
		renamed := other
		renamed.Strategy = "pool"
		assert.False(t, m.grew(renamed), "another strategy")
		m.Reset(other, 0)
		assert.False(t, m.grew(other), "a finished run is read afresh")
	}
}

// TestSketchKeepsRoomForItsLanes: a live run is laid out as high as it
// will be with all its lanes from its first sketch, so that its canvas
// keeps its size as lanes appear; a finished run is as high as the lanes
// it shows. The heights to match are those of finished runs.
func TestSketchKeepsRoomForItsLanes(t *testing.T) {
	onLanes := func(n, lanes int) report.Run { // n tasks, one a lane, of a run of lanes
		run := report.Run{Strategy: "pool", Lanes: lanes, WallMs: 10}
		for i := range n {
			run.Tasks = append(run.Tasks, report.Task{ID: i, Lane: i, StartMs: 1, EndMs: 9})
		}
		return run
	}
	for _, lanes := range []int{1, 8, 40, 10_000} {
		want := New(onLanes(lanes, lanes), 0).Layout(700)
		var m Model
		for _, n := range []int{0, 1, lanes / 2, lanes} {
			m.Sketch(onLanes(n, lanes), 0)
			assert.Equal(t, want.H, m.Layout(700).H, "%d of %d lanes, sketched", n, lanes)
		}
		one := New(onLanes(1, 1), 0).Layout(700)
		assert.Equal(t, one.H, New(onLanes(1, lanes), 0).Layout(700).H, "one of %d lanes, finished", lanes)
	}
	var m Model
	m.Sketch(onLanes(1, 8), 0)
	g := m.Layout(700)
	assert.Equal(t, 0, m.RowAt(g, g.RowH/2), "the lane drawn")
	assert.Equal(t, -1, m.RowAt(g, g.RowH*1.5), "room for a lane to come")
}

// TestSketchReadsABurstInSteps: tasks that arrive at once are sketched
// readStep at a time, each sketch drawing those read so far; when all are
// read, the sketch holds the tasks a finished model of the run holds.
func TestSketchReadsABurstInSteps(t *testing.T) {
	run := many(6000, true)
	var m Model
	for _, want := range []int{readStep, 2 * readStep, 6000, 6000} {
		m.Sketch(run, 0)
		assert.Equal(t, want, m.Len(), "tasks drawn")
	}
	whole := New(run, 0)
	assert.Equal(t, whole.Lanes(), m.Lanes())
	assert.Equal(t, whole.Shows(), m.Shows())
}

func TestStateKind(t *testing.T) {
	for _, state := range report.States {
		k := stateKind(state)
		assert.Equal(t, state, k.Key(), "every state has its kind")
		assert.Equal(t, state != report.StateQueued && state != report.StatePermit && state != report.StateUndelivered, k.OnLane(), state)
	}
	for _, state := range []string{"", "io", "lurk", "queues", "compute!", "running", "ran"} {
		k := stateKind(state)
		assert.Equal(t, Ran, k, "%q is unknown", state)
		assert.True(t, k.OnLane())
	}
}

// TestPatternsAtAnyScale: the tiles, made a period at a time and copied,
// are the patterns at every pixel, on a screen of any density.
func TestPatternsAtAnyScale(t *testing.T) {
	pal := DefaultPalette()
	for _, scale := range []float64{1, 1.5, 2, 2.25} {
		w := 301
		ts := pal.tiles(w, scale)
		assert.Same(t, ts, pal.tiles(w, scale), "made once")
		p := max(4, int(math.Round(6*scale)))
		for k := range numKinds {
			for y, row := range ts[k] {
				for x := range w {
					want := pal.shade[k]
					if kinds[k].pattern.on(x, y, p, max(1, p/3)) {
						want = pal.ink[k]
					}
					if got := Color(row[4*x:]); got != want {
						t.Fatalf("scale %g, %s at (%d, %d): %v, want %v", scale, k.Name(), x, y, got, want)
					}
				}
			}
		}
	}
}

// TestRehearseDrawsBothWays: the rehearsal's runs are whole runs, drawn
// once as density rows and once as lanes, with every state it made up.
func TestRehearseDrawsBothWays(t *testing.T) {
	var models []*Model
	for _, run := range Rehearsals(2000) {
		models = append(models, Rehearse(run, 900, 2, DefaultPalette()))
	}
	require.Len(t, models, 2)
	assert.True(t, models[0].Dense(), "a goroutine each: density rows")
	assert.False(t, models[1].Dense(), "one lane")
	for _, m := range models {
		assert.Empty(t, m.run.CheckPhases())
		assert.Equal(t, 2000, m.Len())
	}
}

// TestStoredPNGDecodes: Go's PNG decoder reads the swatches, and images
// of more than one stored block, as exactly their pixels.
func TestStoredPNGDecodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var noisy Image
	noisy.Resize(201, 97, 1) // 78,000 bytes of pixels: two blocks
	for i := range noisy.Pix {
		noisy.Pix[i] = byte(rng.Uint32())
	}
	images := []*Image{&noisy}
	for _, ink := range SwatchInks() {
		for _, scale := range []float64{1, 2.5} {
			var img Image
			img.Resize(int(24*scale), int(12*scale), scale)
			DrawSwatch(&img, ink, DefaultPalette())
			images = append(images, &img)
			url := SwatchURL(ink, scale, DefaultPalette())
			require.True(t, strings.HasPrefix(url, "data:image/png;base64,"))
			data, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
			require.NoError(t, err)
			assert.Equal(t, storedPNG(&img), data, "the swatch, as a PNG")
		}
	}
	for _, img := range images {
		got, err := png.Decode(bytes.NewReader(storedPNG(img)))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, img.W, img.H), got.Bounds())
		for y := range img.H {
			for x := range img.W {
				want := color.NRGBA{img.Pix[4*(y*img.W+x)], img.Pix[4*(y*img.W+x)+1], img.Pix[4*(y*img.W+x)+2], img.Pix[4*(y*img.W+x)+3]}
				require.Equal(t, want, color.NRGBAModel.Convert(got.At(x, y)), "(%d, %d) of %d×%d", x, y, img.W, img.H)
			}
		}
	}
}
