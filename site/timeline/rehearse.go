package timeline

import "lanes/core/report"

// Rehearsals are made-up runs of n tasks for Rehearse: one a goroutine
// each, drawn as density rows, and one on a single lane.
func Rehearsals(n int) []report.Run {
	return []report.Run{madeUp(n, true), madeUp(n, false)}
}

// Rehearse makes and draws run, finished and as a live drawing sketches
// it, at width CSS pixels into an image nobody sees, and returns its
// model, so that a page can run the drawing's code once before a real
// run needs it. In a fresh browser profile the first drawing of a
// finished run of 10,000 tasks took 22–40 ms and the same drawing later
// 3–11 ms: the browser compiles wasm code the first time it runs, and
// tiers up what runs most.
func Rehearse(run report.Run, width, scale float64, pal *Palette) *Model {
	m := New(run, 0)
	g := m.Layout(width)
	var img Image
	img.SizeFor(g, scale)
	m.Draw(&img, g, m.Whole(), pal)
	_ = m.Text(g, m.Whole())
	_ = m.Legend()
	var live Model
	live.Sketch(run, 0)
	live.Draw(&img, g, live.Whole(), pal)
	return m
}

// madeUp is a run of n tasks, each queued, then waiting on I/O, then
// computing, then undelivered a while: on a lane each (perLane), or all
// one after another on one lane.
func madeUp(n int, perLane bool) report.Run {
	const wall = 100.0
	run := report.Run{Strategy: "rehearsal", Lanes: n, WallMs: wall, Tasks: make([]report.Task, n)}
	if !perLane {
		run.Lanes = 1
	}
	for i := range run.Tasks {
		lane, start, end := i, float64(i%7), wall-float64(i%5)-1
		if !perLane {
			lane, start, end = 0, wall*float64(i)/float64(n), wall*float64(i+1)/float64(n)
		}
		mid := (start + end) / 2
		run.Tasks[i] = report.Task{ID: i, Lane: lane, StartMs: start, EndMs: end, DeliveredMs: wall,
			Phases: []report.Phase{
				{State: report.StateQueued, StartMs: 0, EndMs: start},
				{State: report.StateIOWait, StartMs: start, EndMs: mid},
				{State: report.StateCompute, StartMs: mid, EndMs: end},
				{State: report.StateUndelivered, StartMs: end, EndMs: wall}}}
	}
	return run
}
