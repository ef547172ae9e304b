package site

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"lanes/core/demo"
	"lanes/core/report"
)

// Runs are the runs to draw: the finished ones and the one under way.
func (c *Root) Runs() []report.Run {
	var runs []report.Run
	if c.Browser != nil {
		runs = append(runs, c.Browser.Runs...)
	}
	if c.Live != nil {
		runs = append(runs, *c.Live)
	}
	return runs
}

// Span is the time scale shared by the drawn runs.
func (c *Root) Span() float64 {
	span := 0.0
	for _, r := range c.Runs() {
		span = max(span, r.WallMs)
	}
	return span
}

// A Drawing is a run's timeline as SVG markup, and a key that changes
// whenever the markup does.
type Drawing struct {
	Key string
	SVG string
}

// Drawing draws the i-th of Runs at the shared scale. Finished runs do not
// change, so their drawings are kept until the scale changes: a redraw
// while a run streams its tasks redraws only that run.
func (c *Root) Drawing(i int, r report.Run) Drawing {
	span := c.Span()
	width := c.timelineWidth()
	key := fmt.Sprintf("%d|%s|%d|%g|%g|%s|%g", i, r.Strategy, len(r.Tasks), r.WallMs, span, r.Result, width)
	if c.drawn == nil || len(c.drawn) > 64 {
		c.drawn = map[string]string{}
	}
	svg, ok := c.drawn[key]
	if !ok {
		svg = Timeline(r, span, width)
		c.drawn[key] = svg
	}
	return Drawing{Key: key, SVG: svg}
}

// ProgressText says how far the run is.
func (c *Root) ProgressText() string {
	switch {
	case c.Warming:
		return "Warming up…"
	case c.Running:
		return fmt.Sprintf("Running… %d of %d tasks", c.Done, c.Total)
	case c.Status == "stopped":
		return "Stopped."
	case c.Status == "done":
		return "Done."
	}
	return ""
}

// FormatMs writes a duration in milliseconds for the summaries.
func FormatMs(ms float64) string {
	if ms >= 1000 {
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
	}
	return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
}

// SpreadText says how many times a strategy ran and the range of its
// wall times (the run shown is the median one).
func SpreadText(r report.Run) string {
	if r.Spread == nil {
		return ""
	}
	return fmt.Sprintf("median of %d, %s–%s", r.Repeats(), FormatMs(r.Spread.MinMs), FormatMs(r.Spread.MaxMs))
}

// LossesText says where the time beyond the ideal went, largest first,
// leaving out causes under a tenth of a millisecond.
func LossesText(r report.Run) string {
	l := r.Losses
	if l == nil {
		return ""
	}
	type loss struct {
		name string
		ms   float64
	}
	parts := []loss{{"start-up", l.StartupMs}, {"dispatch", l.DispatchMs}, {"imbalance", l.ImbalanceMs}, {"contention", l.ContentionMs}}
	slices.SortStableFunc(parts, func(a, b loss) int { return cmp.Compare(b.ms, a.ms) })
	var out []string
	for _, p := range parts {
		if p.ms >= 0.1 {
			out = append(out, p.name+" "+FormatMs(p.ms))
		}
	}
	if len(out) == 0 {
		return "nothing: the run took its ideal time"
	}
	return strings.Join(out, ", ")
}

// FormatRatio writes a speedup or a ratio.
func FormatRatio(x float64) string {
	if x == 0 {
		return "–"
	}
	return strconv.FormatFloat(x, 'f', 2, 64) + "×"
}

// FormatPercent writes an efficiency.
func FormatPercent(x float64) string {
	if x == 0 {
		return "–"
	}
	return strconv.FormatFloat(100*x, 'f', 0, 64) + "%"
}

// Demos lists every demo.
func (c *Root) Demos() []*demo.Demo { return demo.All() }

// RootClass is the page's class list.
func (c *Root) RootClass() string {
	cls := "lanes"
	if c.Embed {
		cls += " embed"
	}
	if c.Running {
		cls += " running"
	}
	if c.Warming {
		cls += " warming"
	}
	return cls
}

// DemoClass marks the chosen demo in the list.
func (c *Root) DemoClass(id string) string {
	if c.Demo != nil && c.Demo.ID == id {
		return "demo-link current"
	}
	return "demo-link"
}

// DemoPressed is the demo button's aria-pressed value.
func (c *Root) DemoPressed(id string) string {
	return strconv.FormatBool(c.Demo != nil && c.Demo.ID == id)
}

// KnobLabel names a knob with its unit.
func (c *Root) KnobLabel(p demo.Param) string {
	if p.Unit != "" {
		return p.Name + " (" + p.Unit + ")"
	}
	return p.Name
}

// IsFinal reports whether the i-th of Runs is finished, rather than the
// one under way.
func (c *Root) IsFinal(i int) bool {
	return c.Live == nil || i < len(c.Runs())-1
}

// RunCaption says how many lanes and tasks a run has.
func (c *Root) RunCaption(i int, r report.Run) string {
	done := 0
	for _, t := range r.Tasks {
		if t.Lane >= 0 {
			done++
		}
	}
	if !c.IsFinal(i) {
		return fmt.Sprintf("running: %d tasks delivered", done)
	}
	lanes := "lanes"
	if r.LanesSeen() == 1 {
		lanes = "lane"
	}
	return fmt.Sprintf("%d %s, %d of %d tasks ran", r.LanesSeen(), lanes, done, len(r.Tasks))
}

// SameText says whether the browser and native results agree.
func (c *Root) SameText(r Row) string {
	switch {
	case r.BrowserResult == "":
		return "–"
	case r.Same:
		return "yes"
	}
	return "no"
}

// ToggleSource records a source file opened or closed.
func (c *Root) ToggleSource(file string, open bool) {
	if c.Open == nil {
		c.Open = map[string]bool{}
	}
	c.Open[file] = open
}
