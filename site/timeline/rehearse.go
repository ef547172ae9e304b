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
// tiers up what runs most. A page takes it in steps (Rehearsal.Step),
// each in a task of its own: all at once took 40–90 ms.
func Rehearse(run report.Run, width, scale float64, pal *Palette) *Model {
	r := NewRehearsal(run, width, scale, pal)
	for r.Step() {
	}
	return r.m
}

// A Rehearsal is Rehearse in steps: the model, its drawing, its words,
// the live sketch, its drawing.
type Rehearsal struct {
	run          report.Run
	width, scale float64
	pal          *Palette
	m, live      *Model
	g            Geometry
	img          Image
	done         int // the steps done
}

// NewRehearsal is Rehearse(run, width, scale, pal), to be taken in steps.
func NewRehearsal(run report.Run, width, scale float64, pal *Palette) *Rehearsal {
	return &Rehearsal{run: run, width: width, scale: scale, pal: pal}
}

// Step takes the rehearsal's next step, and reports whether one was left.
func (r *Rehearsal) Step() bool {
	switch r.done {
	case 0:
		r.m = New(r.run, 0)
	case 1:
		r.g = r.m.Layout(r.width)
		r.img.SizeFor(r.g, r.scale)
		r.m.Draw(&r.img, r.g, r.m.Whole(), r.pal)
	case 2:
		_ = r.m.Text(r.g, r.m.Whole())
		_ = r.m.Legend()
	case 3:
		r.live = &Model{}
		r.live.Sketch(r.run, 0)
	case 4:
		r.live.Draw(&r.img, r.g, r.live.Whole(), r.pal)
	default:
		return false
	}
	r.done++
	return true
}

// Pixels is the memory the rehearsal drew into, for a page to draw into
// next: its pages are touched already.
func (r *Rehearsal) Pixels() []byte { return r.img.Pix }

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
