package site

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"lanes/core/report"
)

// Timeline geometry, in the SVG's own units: it scales to its box, whose
// width the page picks (WideTimeline, or NarrowTimeline on a phone, where
// a narrower drawing keeps its text legible).
const (
	WideTimeline   = 1000.0
	NarrowTimeline = 480.0
	tlLabel        = 76.0  // room for the lane names
	tlAxis         = 26.0  // the time axis under the lanes
	tlFlight       = 44.0  // the in-flight counter under the axis
	tlMaxLane      = 22.0  // the tallest a lane gets
	tlLanesH       = 220.0 // the most room all lanes take together
)

// Timeline draws a run as SVG: one lane per worker or goroutine, a bar per
// task from its start to its end, a mark where its result was delivered,
// and under the time axis the number of tasks in flight. Tasks that never
// started (lane -1) have no bar. spanMs, if larger than the run's own
// extent, fixes the time scale, so that runs drawn one under the other
// compare at a glance. width is the drawing's width in its own units. It
// returns markup safe to insert as HTML.
func Timeline(run report.Run, spanMs, width float64) string {
	var drawn []report.Task
	seen := map[int]bool{}
	lanes := []int{}
	end := 0.0
	for _, t := range run.Tasks {
		if t.Lane < 0 {
			continue
		}
		drawn = append(drawn, t)
		if !seen[t.Lane] {
			seen[t.Lane] = true
			lanes = append(lanes, t.Lane)
		}
		end = math.Max(end, math.Max(t.EndMs, t.DeliveredMs))
	}
	slices.Sort(lanes)
	span := math.Max(math.Max(end, spanMs), math.Max(run.WallMs, 1))
	laneH := tlMaxLane
	if n := float64(max(len(lanes), 1)); n*laneH > tlLanesH {
		laneH = tlLanesH / n
	}
	lanesH := laneH * float64(max(len(lanes), 1))
	height := lanesH + tlAxis + tlFlight
	plotW := width - tlLabel - 8
	x := func(ms float64) float64 { return tlLabel + plotW*ms/span }
	laneY := map[int]float64{}
	for i, l := range lanes {
		laneY[l] = float64(i) * laneH
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %.0f %.1f" role="img" aria-label="%s">`,
		width, height, html.EscapeString(fmt.Sprintf("Timeline of %s: %d tasks on %d lanes over %.1f ms", run.Strategy, len(drawn), len(lanes), span)))
	// lanes and their names
	labelEvery := int(math.Ceil(14 / laneH))
	for i, l := range lanes {
		y := laneY[l]
		if i%2 == 1 {
			fmt.Fprintf(&b, `<rect class="lane-band" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, tlLabel, y, plotW, laneH)
		}
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text class="lane-name" x="%.1f" y="%.1f">%d</text>`, tlLabel-6, y+math.Min(laneH, 14)*0.8+max(0, (laneH-14)/2), l)
		}
	}
	// bars and delivery marks
	pad := math.Min(2, laneH*0.15)
	for _, t := range drawn {
		y := laneY[t.Lane]
		w := math.Max(x(t.EndMs)-x(t.StartMs), 1.5)
		class := "bar"
		if t.Error != "" {
			class += " failed"
		}
		title := fmt.Sprintf("task %d on lane %d: %.1f–%.1f ms, delivered at %.1f ms", t.ID, t.Lane, t.StartMs, t.EndMs, t.DeliveredMs)
		if t.Error != "" {
			title += "; " + t.Error
		} else if t.Value != "" {
			title += "; value " + t.Value
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
			class, x(t.StartMs), y+pad, w, laneH-2*pad, html.EscapeString(title))
		if t.DeliveredMs > 0 {
			dx := x(t.DeliveredMs)
			fmt.Fprintf(&b, `<path class="delivered" d="M%.1f %.1fv%.1f"/>`, dx, y, laneH)
		}
	}
	// time axis
	fmt.Fprintf(&b, `<path class="axis" d="M%.1f %.1fH%.1f"/>`, tlLabel, lanesH+1, tlLabel+plotW)
	step := niceStep(span / 6)
	for ms := 0.0; ms <= span+1e-9; ms += step {
		fmt.Fprintf(&b, `<path class="tick" d="M%.1f %.1fv5"/><text class="tick-label" x="%.1f" y="%.1f">%s</text>`,
			x(ms), lanesH+1, x(ms), lanesH+20, tickLabel(ms))
	}
	// tasks in flight over time
	top := lanesH + tlAxis + 4
	pts, most := inFlight(drawn)
	if most > 0 {
		fh := tlFlight - 12
		var d strings.Builder
		fmt.Fprintf(&d, "M%.1f %.1f", x(0), top+fh)
		for _, p := range pts {
			fmt.Fprintf(&d, "H%.1fV%.1f", x(p.ms), top+fh-fh*float64(p.n)/float64(most))
		}
		fmt.Fprintf(&d, "H%.1fV%.1fZ", x(span), top+fh)
		fmt.Fprintf(&b, `<path class="in-flight" d="%s"/>`, d.String())
	}
	fmt.Fprintf(&b, `<text class="flight-label" x="%.1f" y="%.1f">in flight</text>`, tlLabel-6, top+14)
	fmt.Fprintf(&b, `<text class="flight-max" x="%.1f" y="%.1f">max %d</text>`, tlLabel-6, top+30, most)
	b.WriteString(`</svg>`)
	return b.String()
}

type flightPoint struct {
	ms float64
	n  int
}

// inFlight returns how many tasks were running from each start or end on,
// and the most at once.
func inFlight(tasks []report.Task) ([]flightPoint, int) {
	type edge struct {
		ms float64
		d  int
	}
	var edges []edge
	for _, t := range tasks {
		edges = append(edges, edge{t.StartMs, 1}, edge{math.Max(t.EndMs, t.StartMs), -1})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.ms != b.ms {
			return cmp.Compare(a.ms, b.ms)
		}
		return a.d - b.d // ends before starts at the same moment
	})
	var pts []flightPoint
	n, most := 0, 0
	for _, e := range edges {
		n += e.d
		most = max(most, n)
		if len(pts) > 0 && pts[len(pts)-1].ms == e.ms {
			pts[len(pts)-1].n = n
			continue
		}
		pts = append(pts, flightPoint{e.ms, n})
	}
	return pts, most
}

// niceStep rounds a raw tick interval up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// formatMs writes a time for an axis: ms below a second, s above.
func tickLabel(ms float64) string {
	if ms >= 1000 {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", ms/1000), "0"), ".") + " s"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", ms), "0"), ".") + " ms"
}
