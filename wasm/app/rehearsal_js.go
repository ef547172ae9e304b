package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"time"

	"lanes/core/report"
	"lanes/site/timeline"
)

// The page's own warm-up, before its first run: made-up runs drawn where
// nobody sees them (timeline.Rehearsal), then drawn, zoomed and panned as
// a page's timeline that is not on the page (an unseen view), so that a
// real run's drawing finds its code compiled, then memory touched for its
// heap (heapWarmer).
// It goes a step a task, when the page is idle or when the first run's
// warm-up asks for it (Backend.Rehearse), never beside a measured run.

// A rehearsal is the page's warm-up so far.
type rehearsal struct {
	begun bool
	runs  []report.Run        // the made-up runs still to draw
	r     *timeline.Rehearsal // the one being drawn, or nil
	shown []report.Run        // the made-up runs still to show in an unseen view
	view  *tlView             // the unseen view, or nil
	moves int                 // its zooms and pans so far
	heap  heapWarmer
}

// rehearsalWidth is the width the made-up runs are drawn at, in CSS
// pixels, as a Rehearsal and in the unseen view.
const rehearsalWidth = 900

// rehearsalTasks is the size of the made-up runs rehearsed: enough for the
// browser to tier up the drawing's loops.
const rehearsalTasks = 4000

// rehearse takes the page's warm-up a step at a time (a task each) when
// the page is next idle, while free says it still is: before the first
// run, while the workers start. Each made-up run in one task took 40–90
// and 10–60 ms in fresh profiles; a run under way never shares the thread
// with a step. The warm-up of the page's first run takes the steps left
// (Rehearse).
func (t *timelines) rehearse(free func() bool) {
	whenIdle(func() {
		go func() {
			for free() && t.rehearseStep() {
				time.Sleep(time.Millisecond) // the browser's turn, between two
			}
		}()
	})
}

// Rehearse implements site.Backend: the page's warm-up, the steps left.
// The live drawings of a first visit's autorun took 10–27 ms of CPU and up
// to 55 ms of wall time without it, the browser compiling their code as
// the run went.
func (b *backend) Rehearse(ctx context.Context) {
	for ctx.Err() == nil && b.tl.rehearseStep() {
		time.Sleep(time.Millisecond)
	}
}

// rehearseStep takes the warm-up's next step, and reports whether one was
// left: a made-up run's step (Rehearsal), then one of showing the runs in
// the unseen view (showStep), each with a "lanes timeline" measure of
// detail "rehearsal", then a megabyte of the heap.
func (t *timelines) rehearseStep() bool {
	h := &t.rehearsal
	if !h.begun {
		h.begun, h.runs = true, timeline.Rehearsals(rehearsalTasks)
		h.shown = h.runs
	}
	if h.r == nil && len(h.runs) > 0 {
		pal := t.palette()
		t.paintSwatches(pal) // which restyles the whole page, once
		h.r, h.runs = timeline.NewRehearsal(h.runs[0], rehearsalWidth, deviceScale(), pal), h.runs[1:]
	}
	if h.r == nil {
		return t.showStep() || h.heap.step()
	}
	t0 := t.perf.Call("now").Float()
	if h.r.Step() {
		t.perf.Call("measure", "lanes timeline", map[string]any{"start": t0, "duration": t.perf.Call("now").Float() - t0, "detail": "rehearsal"})
		return true
	}
	if pix := h.r.Pixels(); cap(pix) > cap(t.pix) {
		t.pix = pix // the page draws into memory already touched
	}
	h.r = nil
	return true
}

// showStep takes the next step of showing the made-up runs in an unseen
// view, and reports whether one was left: its model, in steps; its first
// drawing, in its two frames; unseenMoves zooms and pans, each drawn. The
// page's timelines code runs as for a run card's box (a box not on the
// page, at rehearsalWidth): in fresh profiles its first zoom frames took
// 7–13 ms of the page's Go, and those that overran 16 ms came while V8
// compiled it to its top tier.
func (t *timelines) showStep() bool {
	h := &t.rehearsal
	v := h.view
	switch {
	case v == nil && len(h.shown) == 0:
		return false
	case v == nil:
		v = t.mount(t.doc.Call("createElement", "div"))
		v.unseen = true
		v.run, v.span, v.fresh, v.live, v.making = h.shown[0], 0, true, false, false
		h.view, h.shown, h.moves = v, h.shown[1:], 0
	case !v.made():
		t.prepare(v, t.perf.Call("now").Float()+modelBudget)
	case h.moves < unseenMoves:
		v.width, v.dirty = rehearsalWidth, false
		why := "zoom"
		switch {
		case h.moves < 2: // its first drawing, in its two frames
			why = "draw"
		case h.moves < unseenMoves/3:
			t.zoom(v, zoomStep)
		case h.moves < 2*unseenMoves/3:
			why = "pan"
			t.setView(v, v.model.Pan(v.view, panStep), why)
		default:
			t.zoom(v, 1/zoomStep)
		}
		t.draw(v, why)
		h.moves++
	default:
		t.prune() // its box was never on the page: prune forgets it
		h.view = nil
	}
	return true
}

// unseenMoves is the drawings of each made-up run in the unseen view: its
// first, in two frames, then zooms in, pans and zooms out.
const unseenMoves = 14

// A heapWarmer gives the page's Go heap warmMB megabytes of memory it has
// touched, a megabyte a step, and lets it go (a collection, of a heap
// still small), leaving the limit runRoom above it. With its garbage left
// to the limit, the heap only grows, and each first use of a page of new
// memory faults: a model of 10,000 tasks took 2.0 ms in memory it had used
// and 5.0 ms in new memory (Node, this machine), and in the page the first
// drawing of each run 2.5–6 ms to make its megabyte of pixels. The runs,
// models and drawings that come next reuse this memory first: Go's heap
// takes its lowest free pages.
type heapWarmer struct {
	blocks [][]byte // each megabyte touched, held until the last step
	done   bool
}

// warmMB is the memory a heapWarmer touches: a run of 10,000 tasks streams
// in 23–29 MB of garbage, and each of its models takes 3–4 MB.
const warmMB = 32

// step touches the next megabyte, or lets them all go, and reports
// whether a step was left.
func (h *heapWarmer) step() bool {
	switch {
	case h.done:
		return false
	case len(h.blocks) < warmMB:
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		h.blocks = append(h.blocks, b)
	default:
		h.blocks, h.done = nil, true
		runtime.GC()
		debug.SetMemoryLimit(heldMemory() + runRoom)
	}
	return true
}
