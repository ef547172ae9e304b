package main

import (
	"math"
	"syscall/js"

	"github.com/hack-pad/safejs"

	"lanes/site/timeline"
)

// The timeline's input, after Perfetto's conventions: W and S zoom in and
// out, A and D pan, 0 (or R) shows the whole run; Ctrl+wheel (a
// trackpad's pinch) zooms, and so does the wheel once the timeline has
// the focus (else the wheel scrolls the page, as it should); a drag pans,
// a tap or a click shows a task's details, and the arrow keys, Home and
// End visit the tasks. On a phone: the buttons, a drag and a pinch.

// zoomStep is one step of W or S, or of a zoom button.
const zoomStep = 0.8

// panStep is one step of A or D, a share of the view.
const panStep = 0.2

// idle reports whether v takes input: not the run under way, and not
// while any run is measured, which input must not compete with.
func (t *timelines) idle(v *tlView) bool {
	if v == nil || v.live || !v.made() {
		return false
	}
	root := t.doc.Call("getElementById", "lanes")
	return !root.Truthy() || root.Get("dataset").Get("state").String() != "running"
}

// setView shows the view nv at the next frame, if it changed.
func (t *timelines) setView(v *tlView, nv timeline.View, why string) {
	if nv != v.view {
		v.view = nv
		t.ask(v, why)
	}
}

// anchor is the moment a key or a button zooms about: the pointer's, the
// focused task's, or the middle of the view.
func (v *tlView) anchor() float64 {
	if v.pointerX >= 0 {
		return v.geom.Ms(v.view, v.pointerX)
	}
	if x, _, w, _, ok := v.model.Bounds(v.geom, v.view, v.focus); ok {
		return v.geom.Ms(v.view, x+w/2)
	}
	return (v.view.From + v.view.To) / 2
}

// zoom zooms v by factor about its anchor.
func (t *timelines) zoom(v *tlView, factor float64) {
	t.setView(v, v.model.Zoom(v.view, factor, v.anchor()), "zoom")
}

// moveTo focuses task i, bringing it into view.
func (t *timelines) moveTo(v *tlView, i int) {
	v.focus = i
	nv := v.model.Show(v.view, i)
	if nv != v.view {
		t.setView(v, nv, "pan")
		return
	}
	t.marks(v)
}

var moves = map[string]timeline.Move{
	"ArrowRight": timeline.Next, "ArrowLeft": timeline.Prev, "ArrowUp": timeline.Up, "ArrowDown": timeline.Down,
	"Home": timeline.First, "End": timeline.Last,
}

func (t *timelines) onKey(this js.Value, args []js.Value) any {
	ev := args[0]
	v := t.of(this)
	if !t.idle(v) || ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
		return nil
	}
	key := ev.Get("key").String()
	switch key {
	case "w", "W":
		t.zoom(v, zoomStep)
	case "s", "S":
		t.zoom(v, 1/zoomStep)
	case "a", "A":
		t.setView(v, v.model.Pan(v.view, -panStep), "pan")
	case "d", "D":
		t.setView(v, v.model.Pan(v.view, panStep), "pan")
	case "0", "r", "R":
		t.setView(v, v.model.Whole(), "zoom")
	default:
		mv, ok := moves[key]
		if !ok {
			return nil
		}
		t.moveTo(v, v.model.Move(v.focus, mv, v.view))
	}
	ev.Call("preventDefault")
	ev.Call("stopPropagation")
	return nil
}

func (t *timelines) onClick(this js.Value, args []js.Value) any {
	button := args[0].Get("target").Call("closest", "button[data-act]")
	v := t.of(this)
	if !button.Truthy() || !t.idle(v) {
		return nil
	}
	switch button.Get("dataset").Get("act").String() {
	case "in":
		t.zoom(v, zoomStep)
	case "out":
		t.zoom(v, 1/zoomStep)
	case "reset":
		t.setView(v, v.model.Whole(), "zoom")
	}
	return nil
}

// wheelLine is the pixels of a wheel's step counted in lines.
const wheelLine = 16

func (t *timelines) onWheel(this js.Value, args []js.Value) any {
	ev := args[0]
	v := t.of(this)
	if !t.idle(v) {
		return nil
	}
	dx, dy := ev.Get("deltaX").Float(), ev.Get("deltaY").Float()
	switch ev.Get("deltaMode").Int() {
	case 1:
		dx, dy = dx*wheelLine, dy*wheelLine
	case 2:
		dx, dy = dx*v.geom.PlotW, dy*v.geom.H
	}
	if ev.Get("shiftKey").Bool() {
		dx, dy = dx+dy, 0
	}
	focused := t.doc.Get("activeElement").Equal(v.stage)
	if !focused && !ev.Get("ctrlKey").Bool() && !ev.Get("metaKey").Bool() {
		return nil // the page scrolls
	}
	ev.Call("preventDefault")
	if math.Abs(dx) > math.Abs(dy) {
		t.setView(v, v.model.Pan(v.view, dx/v.geom.PlotW), "pan")
		return nil
	}
	v.pointerX = t.at(v, ev)[0]
	t.setView(v, v.model.Zoom(v.view, math.Exp(math.Max(-1, math.Min(1, dy*0.002))), v.anchor()), "zoom")
	return nil
}

// at is where a pointer event is over v's stage, in CSS pixels.
func (t *timelines) at(v *tlView, ev js.Value) [2]float64 {
	r := v.stage.Call("getBoundingClientRect")
	return [2]float64{ev.Get("clientX").Float() - r.Get("left").Float(), ev.Get("clientY").Float() - r.Get("top").Float()}
}

// tapSlop is how far a press may move and still be a tap, in CSS pixels.
const tapSlop = 5

func (t *timelines) onDown(this js.Value, args []js.Value) any {
	ev := args[0]
	v := t.of(this)
	if !t.idle(v) || ev.Get("button").Int() != 0 {
		return nil
	}
	id, x := ev.Get("pointerId").Int(), ev.Get("clientX").Float()
	switch {
	case !v.drag.on:
		v.drag = drag{on: true, id: id, x0: x, x: x, from: v.view, other: -1}
	case v.drag.other < 0: // a second finger: pinch, from where the first is now
		v.drag.other, v.drag.otherX = id, x
		v.drag.span0, v.drag.from, v.drag.moved = math.Abs(x-v.drag.x), v.view, true
	default:
		return nil
	}
	// A pointer already gone makes setPointerCapture throw: the drag goes
	// on without the capture, ending when the pointer leaves.
	_, _ = safejs.Safe(v.stage).Call("setPointerCapture", id)
	return nil
}

func (t *timelines) onMove(this js.Value, args []js.Value) any {
	ev := args[0]
	v := t.of(this)
	if !t.idle(v) {
		return nil
	}
	id, x := ev.Get("pointerId").Int(), ev.Get("clientX").Float()
	d := &v.drag
	if d.on && ev.Get("buttons").Int() == 0 { // released elsewhere, uncaptured
		*d = drag{other: -1}
	}
	switch {
	case d.on && d.other >= 0 && (id == d.id || id == d.other):
		if id == d.other {
			d.otherX = x
		} else {
			d.x = x
		}
		if gap := math.Abs(d.otherX - d.x); gap > 10 && d.span0 > 10 {
			v.pointerX = (d.x+d.otherX)/2 - v.stage.Call("getBoundingClientRect").Get("left").Float()
			t.setView(v, v.model.Zoom(d.from, d.span0/gap, v.geom.Ms(d.from, v.pointerX)), "zoom")
		}
	case d.on && id == d.id:
		d.x = x
		if math.Abs(x-d.x0) > tapSlop {
			d.moved = true
		}
		if d.moved {
			t.setView(v, v.model.Pan(d.from, -(x-d.x0)/v.geom.PlotW), "pan")
		}
	case ev.Get("pointerType").String() == "mouse":
		t.point(v, t.at(v, ev))
	}
	return nil
}

func (t *timelines) onUp(this js.Value, args []js.Value) any {
	ev := args[0]
	v := t.of(this)
	if v == nil || !v.drag.on {
		return nil
	}
	id := ev.Get("pointerId").Int()
	d := &v.drag
	switch {
	case d.other >= 0 && (id == d.id || id == d.other):
		// A finger of a pinch lifted: the other pans on from the view
		// the pinch left, not from the one before it.
		if id == d.id {
			d.id, d.x = d.other, d.otherX
		}
		d.other, d.x0, d.from = -1, d.x, v.view
		return nil
	case id != d.id:
		return nil
	}
	tap := !v.drag.moved && ev.Get("type").String() == "pointerup"
	v.drag = drag{other: -1}
	if tap && t.idle(v) {
		p := t.at(v, ev)
		if i := v.model.At(v.geom, v.view, p[0], p[1]); i >= 0 || !v.model.Dense() {
			v.focus = i
		}
		t.point(v, p)
	}
	return nil
}

func (t *timelines) onLeave(this js.Value, _ []js.Value) any {
	if v := t.of(this); v != nil && !v.drag.on && v.made() {
		v.pointerX, v.hover, v.hoverRow = -1, -1, -1
		t.marks(v)
	}
	return nil
}

// onFocus shows or hides the focused task's ring and details as the
// timeline gains or loses the focus.
func (t *timelines) onFocus(this js.Value, _ []js.Value) any {
	if v := t.of(this); v != nil && v.made() && !v.live {
		t.marks(v)
	}
	return nil
}

// point shows what is at p: a task's details and ring, or in density
// rows what the row's lanes were doing then.
func (t *timelines) point(v *tlView, p [2]float64) {
	v.pointerX = p[0]
	v.hover, v.hoverRow = v.model.At(v.geom, v.view, p[0], p[1]), -1
	if v.model.Dense() && p[0] >= v.geom.PlotL && p[0] <= v.geom.PlotL+v.geom.PlotW {
		v.hoverRow = v.model.RowAt(v.geom, p[1])
	}
	t.marks(v)
}
