package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"syscall/js"

	vjs "github.com/vugu/vugu/js"

	"lanes/core/report"
	"lanes/site"
	"lanes/site/timeline"
)

// timelines draws the run cards' timelines and makes them readable up
// close: each box gets a canvas, filled with an RGBA image that
// lanes/site/timeline builds in Go (one copy and one putImageData a
// frame, whatever the number of tasks), with the words and axis laid over
// it as SVG, zoom tools, a legend and a box of details. Zoom, pan, pointing
// and the keys redraw the box at the next animation frame, without a
// render of the page; none of it happens while a run is measured.
//
// Everything here runs on the page's one thread, in the render loop's
// goroutine (DrawTimeline), the live drawing's (DrawLive) or an event's
// callback, none of which blocks while it touches the views.
type timelines struct {
	views     map[int]*tlView
	next      int
	asked     bool // an animation frame is asked for
	preparing bool // a task to prepare the new runs' models is asked for

	// The pixels every view draws into, and the ImageData (of a width)
	// that takes them to a canvas: views draw one at a time, each in full,
	// and put it on their canvas at once, so one of each serves them all.
	// A drawing into new memory pays for its pages: each first drawing of
	// a report's runs of 10,000 tasks (1 MB) took 2.5–6 ms to make its
	// pixels and 2–4.5 ms to copy them into a new ImageData; with these
	// shared, all but the first take 0.1–0.4 ms for both. The rehearsal's
	// pixels become the page's.
	pix          []byte
	data, bytes  js.Value // the ImageData, and its data
	dataW, dataH int
	blank        js.Value // an ImageData of one blank pixel

	rehearsal rehearsal

	pal    *timeline.Palette
	palKey string
	style  js.Value // the page's computed style, live
	// The palette and the scale the swatches are painted for.
	swatchPal   *timeline.Palette
	swatchScale float64

	perf, doc js.Value
	resize    js.Value // a ResizeObserver of the stages
	// The handlers every view shares; they live as long as the page.
	frame, models, key, wheel, down, move, up, leave, click, focus js.Func
}

// A tlView is one box's timeline.
type tlView struct {
	id                                      int
	stage, canvas, ctx, svg, text           js.Value
	hoverRing, focusRing, focusInner        js.Value
	legend, details, rangeText, resetButton js.Value

	run      report.Run
	span     float64
	fresh    bool // run and span are new: prepare the model
	making   bool // the model of a finished run is begun, in steps
	live     bool // the run under way, drawn by DrawLive
	unseen   bool // a view nobody sees, drawn to rehearse (rehearsal_js.go)
	model    *timeline.Model
	view     timeline.View
	geom     timeline.Geometry
	img      timeline.Image
	width    float64 // the stage's, read at the frame
	dirty    bool    // draw at the next frame
	why      string  // what the next frame is for, for its measure
	legendOf uint32  // what the legend was made for (Model.Shows + 1)
	textOf   string  // the words over the drawing, as last set
	labelOf  string  // the drawing's label, as last set

	focus, hover int     // tasks, or -1
	hoverRow     int     // a density row pointed at, or -1
	pointerX     float64 // where the mouse is over the stage, or -1
	drag         drag
}

// drag is a pointer pressed on the stage: it pans, or a short one taps;
// a second one pinches to zoom.
type drag struct {
	on, moved bool
	id        int
	x0        float64       // where the pan began
	x         float64       // where the pointer is
	from      timeline.View // the view when the pan or the pinch began
	other     int           // the second pointer of a pinch, or -1
	otherX    float64       // where it is
	span0     float64       // the pinch's first distance
}

// newTimelines makes the shared handlers.
func newTimelines() *timelines {
	g := js.Global()
	t := &timelines{views: map[int]*tlView{}, perf: g.Get("performance"), doc: g.Get("document")}
	t.style = g.Call("getComputedStyle", t.doc.Get("documentElement"))
	t.frame = js.FuncOf(func(js.Value, []js.Value) any { t.drawAll(); return nil })
	t.models = js.FuncOf(func(js.Value, []js.Value) any { t.prepareAll(); return nil })
	t.key = js.FuncOf(t.onKey)
	t.wheel = js.FuncOf(t.onWheel)
	t.down = js.FuncOf(t.onDown)
	t.move = js.FuncOf(t.onMove)
	t.up = js.FuncOf(t.onUp)
	t.leave = js.FuncOf(t.onLeave)
	t.click = js.FuncOf(t.onClick)
	t.focus = js.FuncOf(t.onFocus)
	t.resize = g.Get("ResizeObserver").New(js.FuncOf(func(_ js.Value, args []js.Value) any {
		for i := range args[0].Length() {
			// A drawing sets its canvas's height, which resizes the stage:
			// only a new width needs a drawing (the page is laid out here,
			// so the width costs nothing to read).
			v := t.of(args[0].Index(i).Get("target"))
			if v != nil && !v.live && v.stage.Get("clientWidth").Float() != v.width {
				t.ask(v, "resize")
			}
		}
		return nil
	}))
	// A change of the system's theme changes the colours.
	g.Call("matchMedia", "(prefers-color-scheme: dark)").Call("addEventListener", "change", js.FuncOf(func(js.Value, []js.Value) any {
		for _, v := range t.views {
			t.ask(v, "theme")
		}
		return nil
	}))
	return t
}

// DrawTimeline implements site.Backend's DrawTimeline: box shows run at
// the time scale spanMs, all of it, at the next animation frame.
func (t *timelines) DrawTimeline(box any, run report.Run, spanMs float64) {
	b, ok := box.(vjs.Value)
	if !ok {
		return
	}
	v := t.mount(js.Value(b))
	v.run, v.span, v.fresh, v.live, v.making = run, spanMs, true, false, false
	v.stage.Get("dataset").Set("pending", "") // until the frame draws it
	t.ask(v, "draw")
	t.prune()
}

// drawLive draws the run under way, of tasks tasks when it is over, into
// box now: DrawLive's own drawing, whose cost the page measures.
func (t *timelines) drawLive(box js.Value, run report.Run, tasks int, spanMs float64) {
	v := t.mount(box)
	if v.model == nil {
		v.model = &timeline.Model{}
	}
	v.model.Reserve(tasks)
	v.run, v.span, v.fresh, v.live, v.making = run, spanMs, true, true, false
	v.focus, v.hover, v.hoverRow = -1, -1, -1
	t.draw(v, "")
}

// markup is a box's content, before its first drawing.
const markup = `<div class="tl">` +
	`<div class="tl-tools"><button type="button" data-act="out" aria-label="Zoom out" title="Zoom out (S)">−</button>` +
	`<button type="button" data-act="in" aria-label="Zoom in" title="Zoom in (W)">+</button>` +
	`<button type="button" data-act="reset" title="Show the whole run (0)">Reset</button>` +
	`<span class="tl-range"></span>` +
	`<span class="tl-keys" aria-hidden="true">Point at a task, or Tab and arrows · W/S or Ctrl+wheel zoom · A/D or drag pan · 0 resets</span></div>` +
	`<div class="tl-stage" tabindex="0" role="application" aria-roledescription="timeline" aria-describedby="tl-details-%[1]d">` +
	`<canvas class="tl-canvas" aria-hidden="true"></canvas>` +
	`<svg class="timeline" role="img" xmlns="http://www.w3.org/2000/svg"><g class="tl-text"></g>` +
	`<rect class="tl-hover" visibility="hidden"></rect><rect class="tl-focus" visibility="hidden"></rect><rect class="tl-focus-inner" visibility="hidden"></rect></svg></div>` +
	`<div class="tl-details" id="tl-details-%[1]d" role="status" aria-live="polite"></div>` +
	`<ul class="tl-legend" aria-label="Legend"></ul></div>`

// mount gives box its view, made the first time.
func (t *timelines) mount(box js.Value) *tlView {
	if id := box.Get("lanesView"); id.Type() == js.TypeNumber {
		if v, ok := t.views[id.Int()]; ok {
			return v
		}
	}
	t.next++
	v := &tlView{id: t.next, focus: -1, hover: -1, hoverRow: -1, pointerX: -1, drag: drag{other: -1}}
	box.Set("innerHTML", fmt.Sprintf(markup, v.id))
	q := func(sel string) js.Value { return box.Call("querySelector", sel) }
	v.stage, v.canvas, v.svg, v.text = q(".tl-stage"), q(".tl-canvas"), q("svg.timeline"), q(".tl-text")
	v.hoverRing, v.focusRing, v.focusInner = q(".tl-hover"), q(".tl-focus"), q(".tl-focus-inner")
	v.legend, v.details, v.rangeText, v.resetButton = q(".tl-legend"), q(".tl-details"), q(".tl-range"), q(`[data-act="reset"]`)
	v.ctx = v.canvas.Call("getContext", "2d")
	box.Set("lanesView", v.id)
	v.stage.Set("lanesView", v.id)
	q(".tl").Set("lanesView", v.id)
	v.stage.Call("addEventListener", "keydown", t.key)
	v.stage.Call("addEventListener", "wheel", t.wheel, map[string]any{"passive": false})
	v.stage.Call("addEventListener", "pointerdown", t.down)
	v.stage.Call("addEventListener", "pointermove", t.move)
	v.stage.Call("addEventListener", "pointerup", t.up)
	v.stage.Call("addEventListener", "pointercancel", t.up)
	v.stage.Call("addEventListener", "pointerleave", t.leave)
	v.stage.Call("addEventListener", "focus", t.focus)
	v.stage.Call("addEventListener", "blur", t.focus)
	q(".tl").Call("addEventListener", "click", t.click)
	t.resize.Call("observe", v.stage)
	t.views[v.id] = v
	return v
}

// prune forgets the views whose boxes left the page.
func (t *timelines) prune() {
	for id, v := range t.views {
		if !v.stage.Get("isConnected").Bool() {
			t.resize.Call("unobserve", v.stage)
			delete(t.views, id)
		}
	}
}

// of is the view of an element that carries one.
func (t *timelines) of(el js.Value) *tlView {
	if id := el.Get("lanesView"); id.Type() == js.TypeNumber {
		return t.views[id.Int()]
	}
	return nil
}

// ask draws v at the next animation frame.
func (t *timelines) ask(v *tlView, why string) {
	v.dirty = true
	if v.why == "" || why == "draw" {
		v.why = why
	}
	if !t.asked {
		t.asked = true
		js.Global().Call("requestAnimationFrame", t.frame)
	}
}

// frameBudget is the drawing a frame does before it leaves the other
// timelines that asked to the next one: a frame is 16 ms, and the
// browser's share of it is to lay out and paint.
const frameBudget = 8 // ms

// drawAll draws the views that asked, at an animation frame, as many as
// fit in frameBudget (one at least), in the order of their ids — the
// cards' order on the page. A finished run new to its view is not drawn
// yet: its model is made in a task of its own (prepareAll), and drawn at
// the frame after.
func (t *timelines) drawAll() {
	t.asked = false
	t0 := t.perf.Call("now").Float()
	var dirty []*tlView
	for _, v := range t.views {
		switch {
		case v.awaitsModel():
			t.askModels()
		case v.dirty:
			dirty = append(dirty, v)
		}
	}
	// Every width, then the drawings: a width read after a drawing
	// changed a canvas's height lays the page out again.
	for _, v := range dirty {
		v.width = v.stage.Get("clientWidth").Float()
	}
	for _, v := range t.inTurn(dirty, t0, frameBudget, func(v *tlView) { t.draw(v, v.why) }) {
		t.ask(v, v.why) // the rest at the next frame
	}
}

// inTurn calls do for each of views, in the order of their ids, while the
// next, at the cost of the costliest so far, still fits in budget ms from
// t0 (one at least), and returns the views left.
func (t *timelines) inTurn(views []*tlView, t0, budget float64, do func(*tlView)) (left []*tlView) {
	slices.SortFunc(views, func(a, b *tlView) int { return a.id - b.id })
	longest := 0.0
	for i, v := range views {
		now := t.perf.Call("now").Float()
		if i > 0 && now-t0+longest > budget {
			return views[i:]
		}
		do(v)
		longest = max(longest, t.perf.Call("now").Float()-now)
	}
	return nil
}

// modelBudget is the models' making that one task does before it leaves
// the rest to the next: a model of 10,000 tasks takes 11–30 ms in a fresh
// page, in steps of a tenth of that (Model.Step).
const modelBudget = 8 // ms

// prepareAll makes the models of the finished runs new to their views, in
// tasks between frames (setTimeout): in a frame, a model of 10,000 tasks
// came on top of the browser's layout of the render that added its card,
// and the frame took 16–28 ms. Each view made is drawn at the next frame.
func (t *timelines) prepareAll() {
	t.preparing = false
	t0 := t.perf.Call("now").Float()
	var fresh []*tlView
	for _, v := range t.views {
		if v.awaitsModel() {
			fresh = append(fresh, v)
		}
	}
	t.inTurn(fresh, t0, modelBudget, func(v *tlView) {
		if t.prepare(v, t0+modelBudget) {
			t.ask(v, v.why)
		}
	})
	for _, v := range fresh {
		if v.awaitsModel() {
			t.askModels() // the rest in the next task
			return
		}
	}
}

// askModels asks for prepareAll's task, unless it is asked for.
func (t *timelines) askModels() {
	if !t.preparing {
		t.preparing = true
		js.Global().Call("setTimeout", t.models, 0)
	}
}

// awaitsModel reports whether v is a finished run new to it, to be drawn
// once prepareAll made its model.
func (v *tlView) awaitsModel() bool { return v.dirty && v.fresh && !v.live }

// made reports whether v has a model to show and to point into: not none,
// and not one half made.
func (v *tlView) made() bool { return v.model != nil && !v.making }

// pending reports whether a timeline is still to be drawn.
func (t *timelines) pending() bool {
	for _, v := range t.views {
		if v.dirty {
			return true
		}
	}
	return false
}

// palette is the page's colours, read again when the theme changed.
func (t *timelines) palette() *timeline.Palette {
	key := t.style.Call("getPropertyValue", "--tl-compute").String() + t.style.Call("getPropertyValue", "--panel").String()
	if t.pal == nil || key != t.palKey {
		t.pal = timeline.NewPalette(func(name string) string { return t.style.Call("getPropertyValue", name).String() })
		t.palKey = key
	}
	return t.pal
}

// prepare makes v's model of its run, when the run is new, and reports
// whether it is made: a run under way's at once (Model.Sketch), a finished
// run's in steps (Model.Begin, Model.Step) until the time until (of
// performance.now), with a "lanes timeline" measure of detail "model" of
// the steps taken.
func (t *timelines) prepare(v *tlView, until float64) bool {
	if !v.fresh {
		return true
	}
	t0 := t.perf.Call("now").Float()
	if v.model == nil {
		v.model = &timeline.Model{}
	}
	if v.live {
		v.model.Sketch(v.run, v.span)
		v.stage.Call("setAttribute", "aria-label", "Timeline of "+v.run.Strategy+", under way")
	} else {
		if !v.making {
			v.model.Begin(v.run, v.span)
			v.making = true
			v.focus, v.hover, v.hoverRow = -1, -1, -1
		}
		more := v.model.Step()
		for more && t.perf.Call("now").Float() < until {
			more = v.model.Step()
		}
		t.measure(v, t0, "model")
		if more {
			return false
		}
		v.making = false
		v.stage.Call("setAttribute", "aria-label", "Timeline of "+v.run.Strategy+
			". Arrow keys visit the tasks; W and S zoom, A and D pan, 0 shows the whole run.")
	}
	v.fresh = false
	v.view = v.model.Whole()
	return true
}

// draw draws v: the image, the words over it, the rings, the legend and
// the tools. A why other than "" leaves a "lanes timeline" measure of the
// frame's cost, with why as its detail.
func (t *timelines) draw(v *tlView, why string) {
	t.prepare(v, math.Inf(1))
	t0 := t.perf.Call("now").Float()
	v.dirty, v.why = false, ""
	m := v.model
	if why == "" { // drawn at once, not at a frame
		v.width = v.stage.Get("clientWidth").Float()
	}
	width := v.width
	if width <= 0 {
		return // not laid out: drawn when it is (the ResizeObserver)
	}
	v.geom = m.Layout(width)
	w, h := v.img.W, v.img.H
	v.img.Pix = t.pix
	v.img.SizeFor(v.geom, deviceScale())
	t.pix = v.img.Pix
	pal := t.palette()
	t.paintSwatches(pal)
	if v.img.W != w || v.img.H != h {
		v.canvas.Set("width", v.img.W)
		v.canvas.Set("height", v.img.H)
		v.canvas.Get("style").Set("height", fmt.Sprintf("%.0fpx", v.geom.H))
		v.svg.Call("setAttribute", "viewBox", fmt.Sprintf("0 0 %.0f %.0f", v.geom.W, v.geom.H))
		if v.live && why == "" || !v.live && why != "" && w == 0 {
			// A live drawing that resizes the canvas, or a finished run's
			// first, makes it, the ImageData and the tiles for its size,
			// has the canvas take its memory (a blank pixel put), and
			// draws at the next tick or frame: all in one took 15–28 ms
			// live and 20–44 ms for a report's first, with 10,000 tasks.
			// A live run's lanes stop growing soon after it starts, and
			// so does its size.
			t.imageData(v.ctx, v.img.W, v.img.H)
			if t.blank.IsUndefined() {
				t.blank = v.ctx.Call("createImageData", 1, 1)
			}
			v.ctx.Call("putImageData", t.blank, 0, 0)
			v.img.Prepare(pal)
			if v.live {
				v.fresh = true
			} else {
				t.measure(v, t0, why)
				t.ask(v, why)
			}
			return
		}
	}
	m.Draw(&v.img, v.geom, v.view, pal)
	t.imageData(v.ctx, v.img.W, v.img.H)
	js.CopyBytesToJS(t.bytes, v.img.Pix)
	v.ctx.Call("putImageData", t.data, 0, 0, 0, 0, v.img.W, v.img.H)
	if text := m.Text(v.geom, v.view); text != v.textOf { // the same words while a run's scale stays
		v.textOf = text
		v.text.Set("innerHTML", text)
	}
	if label := m.Label(v.run.Strategy, v.view); label != v.labelOf {
		v.labelOf = label
		v.svg.Call("setAttribute", "aria-label", label)
	}
	t.marks(v)
	if !v.live {
		t.tools(v)
	}
	if key := m.Shows() + 1; key != v.legendOf { // + 1: never 0, which means none yet
		v.legendOf = key
		v.legend.Set("innerHTML", m.Legend())
	}
	d := v.stage.Get("dataset")
	d.Delete("pending")
	if m.Dense() {
		d.Set("mode", "density")
	} else {
		d.Set("mode", "lanes")
	}
	d.Set("bars", m.Len())
	d.Set("lanes", m.Lanes())
	d.Set("plotLeft", v.geom.PlotL)
	d.Set("plotWidth", v.geom.PlotW)
	d.Set("rowHeight", v.geom.RowH)
	d.Set("from", strconv.FormatFloat(v.view.From, 'f', 3, 64))
	d.Set("to", strconv.FormatFloat(v.view.To, 'f', 3, 64))
	if why != "" {
		t.measure(v, t0, why)
	}
}

// measure leaves a "lanes timeline" measure from t0 to now of v's work
// for why, as its detail: "rehearsal" for an unseen view's.
func (t *timelines) measure(v *tlView, t0 float64, why string) {
	if v.unseen {
		why = "rehearsal"
	}
	t.perf.Call("measure", "lanes timeline", map[string]any{"start": t0, "duration": t.perf.Call("now").Float() - t0, "detail": why})
}

// imageData makes t.data fit a drawing w by h device pixels, by ctx (a
// canvas's 2D context): as wide, and at least as high.
func (t *timelines) imageData(ctx js.Value, w, h int) {
	if w != t.dataW || h > t.dataH {
		t.dataW, t.dataH = w, h
		t.data = ctx.Call("createImageData", w, h)
		t.bytes = t.data.Get("data")
	}
}

// tools says which part of the run is shown, and enables Reset when a
// part is.
func (t *timelines) tools(v *tlView) {
	v.resetButton.Set("disabled", v.view == v.model.Whole())
	v.rangeText.Set("textContent", v.model.Range(v.view))
}

// marks places the rings around the task pointed at and the task focused
// (while the timeline has the focus), and says what is pointed at, or
// else focused, in the details box by it: a box laid over the drawing,
// which moves nothing on the page as it comes and goes.
func (t *timelines) marks(v *tlView) {
	m, g := v.model, v.geom
	ring := func(el js.Value, x, y, w, h float64, ok bool) {
		if !ok {
			el.Call("setAttribute", "visibility", "hidden")
			return
		}
		el.Call("setAttribute", "x", fmt.Sprintf("%.1f", x))
		el.Call("setAttribute", "y", fmt.Sprintf("%.1f", y))
		el.Call("setAttribute", "width", fmt.Sprintf("%.1f", math.Max(w, 1)))
		el.Call("setAttribute", "height", fmt.Sprintf("%.1f", math.Max(h, 1)))
		el.Call("setAttribute", "visibility", "visible")
	}
	focused := v.focus >= 0 && t.doc.Get("activeElement").Equal(v.stage)
	x, y, w, h, ok := m.Bounds(g, v.view, v.focus)
	ring(v.focusRing, x-2, y-0.5, w+4, h+1, ok && focused)
	ring(v.focusInner, x-0.25, y+1.25, w+0.5, h-2.5, ok && focused)
	details, at := "", [4]float64{}
	switch {
	case v.live:
	case v.hover >= 0:
		details = m.Details(v.hover)
		x, y, w, h, ok = m.Bounds(g, v.view, v.hover)
		at = [4]float64{v.pointerX, y, w, h}
		if v.hover != v.focus || !focused {
			ring(v.hoverRing, x-1, y, w+2, h, ok)
		}
	case v.hoverRow >= 0:
		details = m.RowDetails(v.hoverRow, g.Ms(v.view, v.pointerX))
		at = [4]float64{v.pointerX, float64(v.hoverRow) * g.RowH, 2, g.RowH}
		ring(v.hoverRing, v.pointerX-1, at[1], 2, g.RowH, true)
	case focused && ok:
		details = m.Details(v.focus)
		at = [4]float64{x + w/2, y, w, h}
	}
	if v.hover < 0 && v.hoverRow < 0 {
		ring(v.hoverRing, 0, 0, 0, 0, false)
	}
	if details != v.details.Get("lanesText").String() {
		v.details.Set("innerHTML", details)
		v.details.Set("lanesText", details)
	}
	if details != "" {
		// Under the task, from its side of the drawing.
		st := v.details.Get("style")
		st.Set("top", fmt.Sprintf("%.0fpx", v.stage.Get("offsetTop").Float()+at[1]+at[3]+6))
		if at[0] < g.W/2 {
			st.Set("left", fmt.Sprintf("%.0fpx", math.Max(0, at[0]-24)))
			st.Set("right", "auto")
		} else {
			st.Set("left", "auto")
			st.Set("right", fmt.Sprintf("%.0fpx", math.Max(0, g.W-at[0]-24)))
		}
	}
	if v.focus >= 0 {
		v.stage.Get("dataset").Set("focus", m.Task(v.focus).ID)
	} else {
		v.stage.Get("dataset").Set("focus", "")
	}
}

// paintSwatches sets the swatches' pictures (timeline.SwatchURL) as the
// page's custom properties --tl-swatch-N that the swatches' markup names
// (one for each ink N), when the theme or the screen's density changed
// since: a legend or a task's details is then markup alone. Setting an
// image's src for each swatch of a legend took a live drawing 1–4.5 ms,
// and a canvas's PNGs of them all 5–11 ms.
func (t *timelines) paintSwatches(pal *timeline.Palette) {
	scale := deviceScale()
	if pal == t.swatchPal && scale == t.swatchScale {
		return
	}
	t.swatchPal, t.swatchScale = pal, scale
	root := t.doc.Get("documentElement").Get("style")
	for _, ink := range timeline.SwatchInks() {
		root.Call("setProperty", "--tl-swatch-"+strconv.Itoa(ink), `url("`+timeline.SwatchURL(ink, scale, pal)+`")`)
	}
}

// whenIdle calls f when the browser is next idle (within 2 s).
func whenIdle(f func()) {
	g := js.Global()
	var idle js.Func
	idle = js.FuncOf(func(js.Value, []js.Value) any {
		idle.Release()
		f()
		return nil
	})
	if g.Get("requestIdleCallback").Truthy() {
		g.Call("requestIdleCallback", idle, map[string]any{"timeout": 2000})
	} else {
		g.Call("setTimeout", idle, 500)
	}
}

// deviceScale is the device pixels a canvas has for each CSS pixel: the
// screen's, from 1 to 2 (a phone's 3 would make 2.25 times the pixels to
// fill and copy every frame, for little a person can see).
func deviceScale() float64 {
	return math.Min(math.Max(js.Global().Get("devicePixelRatio").Float(), 1), 2)
}

// liveBox is the live run's timeline box, if it is on the page.
func (t *timelines) liveBox() js.Value {
	return t.doc.Call("querySelector", site.LiveBox)
}
