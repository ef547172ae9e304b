package timeline

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"lanes/core/report"
)

// Text is the SVG markup of the drawing's words and axis at view v, in
// CSS pixels, laid over the image: the lanes' names (or each density
// row's range of lanes), the time axis and its ticks, and the strip's
// label with the most tasks it counted at once.
func (m *Model) Text(g Geometry, v View) string {
	var b strings.Builder
	every := max(1, int(math.Ceil(14/g.RowH)))
	for r := 0; r < m.rows; r += every {
		fmt.Fprintf(&b, `<text class="lane-name" x="%.1f" y="%.1f">%s</text>`,
			g.PlotL-6, float64(r)*g.RowH+math.Min(g.RowH, 14)/2+4, m.rowName(r))
	}
	axis := g.LanesH + 0.5
	fmt.Fprintf(&b, `<path class="axis" d="M%.1f %.1fH%.1f"/>`, g.PlotL, axis, g.PlotL+g.PlotW)
	step := niceStep(v.Width() / math.Max(2, math.Floor(g.PlotW/75)))
	for i := math.Ceil(v.From / step); i*step <= v.To+step*1e-9; i++ {
		x := g.X(v, i*step)
		fmt.Fprintf(&b, `<path class="tick" d="M%.1f %.1fv5"/><text class="tick-label" x="%.1f" y="%.1f">%s</text>`,
			x, axis, x, axis+18, tickLabel(i*step, step))
	}
	base := g.StripTop + g.StripH - stripPad + 0.5
	fmt.Fprintf(&b, `<path class="strip-base" d="M%.1f %.1fH%.1f"/>`, g.PlotL, base, g.PlotL+g.PlotW)
	fmt.Fprintf(&b, `<text class="strip-label" x="%.1f" y="%.1f">tasks</text>`, g.PlotL-6, g.StripTop+16)
	fmt.Fprintf(&b, `<text class="strip-max" x="%.1f" y="%.1f">%s</text>`, g.PlotL-6, g.StripTop+31, m.stripMax())
	return b.String()
}

// rowName is row r's name: its lane, or its density row's first and last.
func (m *Model) rowName(r int) string {
	first, last := m.rowLanes(r)
	if first == last {
		return strconv.Itoa(first)
	}
	return strconv.Itoa(first) + "–" + strconv.Itoa(last)
}

// stripMax is the strip's scale in words.
func (m *Model) stripMax() string { return "max " + strconv.Itoa(m.most) }

// niceStep rounds a raw tick interval up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// tickLabel writes a tick's time with as many decimals as its step
// needs: ms below a second, s above.
func tickLabel(ms, step float64) string {
	unit, scale := " ms", 1.0
	if ms >= 1000 && step >= 10 {
		unit, scale = " s", 1000
	}
	decimals := max(0, int(math.Ceil(-math.Log10(step/scale)-1e-9)))
	return strconv.FormatFloat(ms/scale, 'f', decimals, 64) + unit
}

// Label says what the drawing shows, for a screen reader (the image's
// aria-label): the run, its lanes, the states on them and the strip's
// counts, and the part of the run shown when zoomed in.
func (m *Model) Label(strategy string, v View) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Timeline of %s: %d tasks on %s over %s", strategy, len(m.items), plural(len(m.lanes), "lane"), fmtMs(m.own))
	if m.Dense() {
		fmt.Fprintf(&b, ", drawn as %d rows of up to %d lanes, each shaded by the share of its lanes in each state", m.rows, m.perRow)
	}
	var on, off []string
	for k := range numKinds {
		switch {
		case !m.Has(k):
		case k.OnLane():
			on = append(on, k.Name())
		default:
			off = append(off, fmt.Sprintf("%s (at most %d)", k.Name(), m.mostOf[k]))
		}
	}
	if len(on) > 0 {
		fmt.Fprintf(&b, ". On the lanes: %s", strings.Join(on, ", "))
	}
	if len(off) > 0 {
		fmt.Fprintf(&b, ". Under the axis, tasks %s", strings.Join(off, ", "))
	}
	if m.failed {
		b.WriteString(". Some tasks failed")
	}
	if v != m.Whole() {
		fmt.Fprintf(&b, ". Showing %s to %s", fmtMs(v.From), fmtMs(v.To))
	}
	b.WriteString(".")
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// fmtMs writes a time for the details, the label and the range shown:
// report.FormatMs, with the digits a zoomed-in view needs below a
// millisecond.
func fmtMs(ms float64) string {
	if ms > 0 && ms < 1 {
		return strconv.FormatFloat(ms, 'f', 3, 64) + " ms"
	}
	return report.FormatMs(ms)
}

// Range says which part of the run view v shows, for the zoom tools:
// nothing for the whole run.
func (m *Model) Range(v View) string {
	if v == m.Whole() {
		return ""
	}
	return "showing " + fmtMs(v.From) + "–" + fmtMs(v.To) + " of " + fmtMs(m.span)
}

// swatch is the markup of an ink's swatch: its picture (DrawSwatch) is
// the page's custom property --tl-swatch-N, for ink N.
func swatch(ink int) string {
	return `<span class="tl-swatch" style="background-image: var(--tl-swatch-` + strconv.Itoa(ink) + `)"></span>`
}

// Legend is the markup of the legend's entries for what the drawing
// shows: the states on the lanes, then the strip's counts. Each entry
// has a swatch (swatch).
func (m *Model) Legend() string {
	var b strings.Builder
	entry := func(ink int, name string) {
		fmt.Fprintf(&b, `<li>%s%s</li>`, swatch(ink), html.EscapeString(name))
	}
	head := func(text string) { fmt.Fprintf(&b, `<li class="tl-legend-head">%s</li>`, text) }
	head("On the lanes:")
	for k := range Running {
		if m.Has(k) {
			entry(int(k), k.Name())
		}
	}
	if m.failed {
		entry(inkFailed, "failed")
	}
	if m.marks && !m.Dense() {
		entry(inkDelivered, "result delivered")
	}
	if m.Dense() {
		fmt.Fprintf(&b, `<li class="tl-legend-note">a row is %d lanes: its states' shares, fuller the more lanes are busy</li>`, m.perRow)
	}
	b.WriteString(`<li class="tl-legend-break" aria-hidden="true"></li>`)
	head("Under the axis, tasks:")
	for k := Running; k < numKinds; k++ {
		if m.Has(k) {
			entry(int(k), k.Name())
		}
	}
	return b.String()
}

// Bounds is where task i is drawn at view v, in CSS pixels, for a ring
// around it; ok is false when it is out of view.
func (m *Model) Bounds(g Geometry, v View, i int) (x, y, w, h float64, ok bool) {
	if i < 0 || i >= len(m.items) {
		return 0, 0, 0, 0, false
	}
	it := m.items[i]
	if !v.shows(it.start, it.end) {
		return 0, 0, 0, 0, false
	}
	x0 := math.Max(g.X(v, it.start), g.PlotL)
	x1 := math.Min(g.X(v, it.end), g.PlotL+g.PlotW)
	if x1-x0 < 3 {
		x0, x1 = (x0+x1)/2-1.5, (x0+x1)/2+1.5
	}
	return x0, float64(it.row) * g.RowH, x1 - x0, g.RowH, true
}

// RowAt is the row drawn at height y, or -1.
func (m *Model) RowAt(g Geometry, y float64) int {
	if y < 0 || y >= g.LanesH || m.rows == 0 || y >= float64(m.rows)*g.RowH {
		return -1 // off the rows drawn: a live run's room for lanes to come, or beyond
	}
	return min(int(y/g.RowH), m.rows-1)
}

// At is the task drawn at (x, y) at view v, within a few pixels, or -1.
// Tasks are told apart only on lanes: a density row's are described by
// RowDetails.
func (m *Model) At(g Geometry, v View, x, y float64) int {
	r := m.RowAt(g, y)
	if r < 0 || m.Dense() || x < g.PlotL-3 || x > g.PlotL+g.PlotW+3 {
		return -1
	}
	best, dist := -1, 4.0 // pixels
	for i := m.rowAt[r]; i < m.rowAt[r+1]; i++ {
		it := m.items[i]
		if !v.shows(it.start, it.end) {
			continue // not drawn, however near the edge
		}
		x0, x1 := g.X(v, it.start), g.X(v, it.end)
		d := math.Max(0, math.Max(x0-x, x-x1))
		if d < dist {
			best, dist = int(i), d
		}
	}
	return best
}

// A Move is a step between tasks with the keys.
type Move uint8

// The moves: along a lane, to the lane above or below (to the task
// nearest in time), and to a lane's first or last task.
const (
	Next Move = iota
	Prev
	Up
	Down
	First
	Last
)

// Move is the task a move from task i leads to; from no task (-1) any
// move leads to the first task in view.
func (m *Model) Move(i int, mv Move, v View) int {
	if len(m.items) == 0 {
		return -1
	}
	if i < 0 || i >= len(m.items) {
		for j, it := range m.items {
			if v.shows(it.start, it.end) {
				return j
			}
		}
		return 0
	}
	it := m.items[i]
	r := int(it.row)
	first, last := int(m.rowAt[r]), int(m.rowAt[r+1])-1
	switch mv {
	case Next:
		return min(i+1, last)
	case Prev:
		return max(i-1, first)
	case First:
		return first
	case Last:
		return last
	}
	step := 1
	if mv == Up {
		step = -1
	}
	for r += step; r >= 0 && r < m.rows; r += step {
		if m.rowAt[r] < m.rowAt[r+1] {
			return m.nearest(r, (it.start+it.end)/2)
		}
	}
	return i
}

// nearest is the task of row r nearest in time to ms.
func (m *Model) nearest(r int, ms float64) int {
	best, dist := -1, math.Inf(1)
	for i := m.rowAt[r]; i < m.rowAt[r+1]; i++ {
		it := m.items[i]
		d := math.Max(0, math.Max(it.start-ms, ms-it.end))
		if d < dist {
			best, dist = int(i), d
		}
	}
	return best
}

// Show is v moved, if need be, so that task i is in view: centred on it,
// as wide as before.
func (m *Model) Show(v View, i int) View {
	if i < 0 || i >= len(m.items) {
		return v
	}
	it := m.items[i]
	if it.start >= v.From && it.end <= v.To || it.start <= v.From && it.end >= v.To {
		return v
	}
	mid, w := (it.start+it.end)/2, v.Width()
	return m.Clamp(View{mid - w/2, mid + w/2})
}

// Details is the markup that says all about task i: its id and lane, its
// time on its lane and each of its states, its delivery, and its value
// or error.
func (m *Model) Details(i int) string {
	if i < 0 || i >= len(m.items) {
		return ""
	}
	t := m.Task(i)
	var b strings.Builder
	fmt.Fprintf(&b, `<span class="tl-what">Task %d on lane %d</span>: on its lane %s–%s (%s)`,
		t.ID, t.Lane, fmtMs(t.StartMs), fmtMs(t.EndMs), fmtMs(t.EndMs-t.StartMs))
	if t.DeliveredMs > 0 {
		fmt.Fprintf(&b, ", delivered at %s", fmtMs(t.DeliveredMs))
	}
	b.WriteString(".")
	if len(t.Phases) > 0 {
		b.WriteString(`<ul class="tl-phases">`)
		for _, p := range t.Phases {
			k := stateKind(p.State)
			name := k.Name()
			if k == Ran {
				name = p.State
			}
			fmt.Fprintf(&b, `<li>%s%s: %s–%s (%s)</li>`,
				swatch(int(k)), html.EscapeString(name), fmtMs(p.StartMs), fmtMs(p.EndMs), fmtMs(p.EndMs-p.StartMs))
		}
		b.WriteString(`</ul>`)
	}
	switch {
	case t.Error != "":
		fmt.Fprintf(&b, ` <span class="tl-error">Error: %s</span>`, html.EscapeString(t.Error))
	case t.Value != "":
		fmt.Fprintf(&b, ` Value: <output>%s</output>`, html.EscapeString(t.Value))
	}
	return b.String()
}

// RowDetails is the markup that says what the lanes of density row r did
// at the moment ms: how many were in each state, and how many idle.
func (m *Model) RowDetails(r int, ms float64) string {
	if r < 0 || r >= m.rows {
		return ""
	}
	var count [numKinds]int
	busy := 0
	for i := m.rowAt[r]; i < m.rowAt[r+1]; i++ {
		it := m.items[i]
		if ms < it.start || ms >= it.end {
			continue
		}
		for _, sg := range m.segs[it.s0:it.s1] {
			if ms >= sg.start && ms < sg.end {
				count[sg.kind]++
				busy++
				break
			}
		}
	}
	first, last := m.rowLanes(r)
	var parts []string
	for _, k := range laneOrder {
		if count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[k], k.Name()))
		}
	}
	// A lane holds one task at a time, but a remote clock's rounding can
	// overlap two for a moment: no fewer than no lanes idle.
	parts = append(parts, fmt.Sprintf("%d idle", max(0, m.rowSize(r)-busy)))
	return fmt.Sprintf(`<span class="tl-what">Lanes %d–%d at %s</span>: %s.`, first, last, fmtMs(ms), strings.Join(parts, ", "))
}
