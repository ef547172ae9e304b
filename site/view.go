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

// Shown are the runs to draw: the finished ones and the one under way.
func (r *Runs) Shown() []report.Run {
	var runs []report.Run
	if r.Report != nil {
		runs = append(runs, r.Report.Runs...)
	}
	if r.Live != nil {
		runs = append(runs, *r.Live)
	}
	return runs
}

// Span is the time scale shared by the drawn runs.
func (r *Runs) Span() float64 {
	span := 0.0
	for _, run := range r.Shown() {
		span = max(span, run.WallMs)
	}
	return span
}

// ProgressText says how far the run is.
func (r *Runs) ProgressText() string {
	switch {
	case r.Preparing != "":
		return r.Preparing
	case r.Warming:
		return "Warming up…"
	case r.Running():
		return fmt.Sprintf("Running… %d of %d tasks", r.Done, r.Total)
	case r.Status == "stopped":
		return "Stopped."
	case r.Status == "done":
		return "Done."
	case r.Status == "failed":
		return "The build failed."
	}
	return ""
}

// FormatMs is report.FormatMs, the one format of a time in words, for
// the templates.
func FormatMs(ms float64) string { return report.FormatMs(ms) }

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
	if c.Running() {
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

// IsFinal reports whether the i-th of Runs is finished, rather than the
// one under way.
func (c *Root) IsFinal(i int) bool {
	return c.Live == nil || i < len(c.Shown())-1
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
	seen, lanes := r.LanesSeen(), "lanes"
	if seen == 1 {
		lanes = "lane"
	}
	return fmt.Sprintf("%d %s, %d of %d tasks ran", seen, lanes, done, len(r.Tasks))
}

// SameText says whether the browser and native results agree.
func (r Row) SameText() string {
	switch {
	case r.BrowserResult == "":
		return "–"
	case r.Same:
		return "yes"
	}
	return "no"
}

// ToggleSource records a source file opened or closed.
func (s *Settings) ToggleSource(file string, open bool) {
	if s.Open == nil {
		s.Open = map[string]bool{}
	}
	s.Open[file] = open
}

// IsOpen reports whether a source file is shown open.
func (s *Settings) IsOpen(file string) bool { return s.Open[file] }

// Sources are the Go files the demo runs.
func (s *Settings) Sources() []demo.Source { return s.Demo.Sources }

// ShowKnobs reports whether the knobs are shown.
func (s *Settings) ShowKnobs() bool { return s.Controls }

// Params are the demo's knobs.
func (s *Settings) Params() []demo.Param { return s.Demo.Params }

// Strategies are the strategies (or variants) the demo compares.
func (s *Settings) Strategies() []string { return s.Demo.Strategies }

// FormError says what was wrong with a knob, or "".
func (s *Settings) FormError() string { return s.FormErr }

// HasReport reports whether there is a browser report to download.
func (r *Runs) HasReport() bool { return r.Report != nil }

// Busy reports whether the server is running the native comparison.
func (c *Comparison) Busy() bool { return c.NativeBusy }

// Err says why the comparison failed, or "".
func (c *Comparison) Err() string { return c.NativeErr }

// HasNative reports whether a native report is shown.
func (c *Comparison) HasNative() bool { return c.Native != nil }
