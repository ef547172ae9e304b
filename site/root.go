package site

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vugu/vugu"

	"lanes/core/demo"
	"lanes/core/report"
)

// PageKeys are the URL parameters that belong to the page, not to a demo.
var PageKeys = []string{"autorun", "theme", "controls"}

// DefaultDemo is shown when the URL names none, or a bad one.
const DefaultDemo = "cpu-sumsq"

// Root is the page: the chosen demo, its knobs, the runs and the embed
// protocol. Its exported methods are called from the template's event
// handlers, which hold the event lock; goroutines take the lock themselves
// and request a render as they release it, at most every redrawEvery.
type Root struct {
	B        Backend
	EE       vugu.EventEnv
	Embed    bool   // the compact view at /embed
	Controls bool   // show the knobs (controls=0 hides them in the embed)
	Theme    string // "", "light" or "dark"
	Cfg      demo.Config
	Demo     *demo.Demo
	Notice   string // what was wrong with the URL
	FormErr  string // what was wrong with a knob
	Running  bool
	Done     int
	Total    int
	Status   string
	Browser  *report.Report // the last run in the browser
	Live     *report.Run    // the strategy under way
	Native   *report.Report // the native run to compare with
	NativeBy string         // where Native came from
	NatErr   string
	NatBusy  bool
	Share    bool // show the share link and embed snippet
	Narrow   bool // a phone-sized window: narrower timelines
	// Open holds the source files shown open: the page keeps the state,
	// as every render rewrites the elements' attributes, and the code of
	// closed files stays out of the page.
	Open map[string]bool

	cancel context.CancelFunc
	runID  int
	dirty  bool
	drawn  map[string]vugu.HTML // timelines already drawn
}

// redrawEvery throttles redraws while a run streams its tasks.
const redrawEvery = 40 * time.Millisecond

// Setup reads the page's URL query. Bad parameters leave a notice and the
// defaults, never a blank page. It reports whether autorun=1 was given.
func (c *Root) Setup(query string) (autorun bool) {
	c.Controls = true
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		c.Notice = "The link's parameters could not be read (" + err.Error() + "); showing the defaults."
		c.choose(DefaultDemo)
		return false
	}
	var notes []string
	switch t := q.Get("theme"); t {
	case "", "light", "dark":
		c.Theme = t
	default:
		notes = append(notes, fmt.Sprintf("theme=%q: want light or dark", t))
	}
	switch v := q.Get("controls"); v {
	case "", "1":
	case "0":
		c.Controls = !c.Embed
	default:
		notes = append(notes, fmt.Sprintf("controls=%q: want 0 or 1", v))
	}
	switch v := q.Get("autorun"); v {
	case "", "0":
	case "1":
		autorun = true
	default:
		notes = append(notes, fmt.Sprintf("autorun=%q: want 0 or 1", v))
	}
	if q.Get("demo") == "" && len(q) == len(pageKeysIn(q)) {
		c.choose(DefaultDemo)
	} else if cfg, err := demo.ParseQuery(q, PageKeys...); err != nil {
		notes = append(notes, err.Error())
		autorun = false
		id := q.Get("demo")
		if _, err := demo.Lookup(id); err != nil {
			id = DefaultDemo
		}
		c.choose(id)
	} else {
		c.Demo, _ = demo.Lookup(cfg.Demo)
		c.Cfg = cfg
	}
	if len(notes) > 0 {
		c.Notice = "Some of the link's parameters were not understood, so their defaults are used: " + strings.Join(notes, "; ") + "."
	}
	return autorun
}

func pageKeysIn(q url.Values) []string {
	var in []string
	for k := range q {
		if slices.Contains(PageKeys, k) {
			in = append(in, k)
		}
	}
	return in
}

// choose shows a demo with its defaults.
func (c *Root) choose(id string) {
	d, err := demo.Lookup(id)
	if err != nil {
		return
	}
	c.Demo, c.Cfg = d, d.Defaults()
	c.FormErr = ""
	c.Native, c.NatErr = nil, ""
}

// Query is the page's state as a URL query, for links.
func (c *Root) Query() string {
	q := c.Cfg.Query()
	if c.Theme != "" {
		q.Set("theme", c.Theme)
	}
	return q.Encode()
}

// ShareURL is a link to the page with its current settings.
func (c *Root) ShareURL() string { return c.B.Origin() + "/?" + c.Query() }

// EmbedSnippet is the iframe markup for the current settings.
func (c *Root) EmbedSnippet() string {
	return fmt.Sprintf(`<iframe src="%s/embed?%s" width="100%%" height="460" style="border:0" title="Lanes: %s" loading="lazy"></iframe>`,
		c.B.Origin(), c.Query(), c.Demo.Title)
}

func (c *Root) changed() {
	c.B.SetQuery(c.Query())
}

// ChooseDemo switches to the demo picked in the list.
func (c *Root) ChooseDemo(id string) {
	if c.Running || (c.Demo != nil && c.Demo.ID == id) {
		return
	}
	c.choose(id)
	c.Browser, c.Live = nil, nil
	c.Status = ""
	c.changed()
}

// ParamValue is a knob's value as its input shows it.
func (c *Root) ParamValue(name string) string {
	v := c.Cfg.Values()[name]
	return strings.TrimSuffix(v, "ms")
}

// ParamHelp is a knob's explanation with its bounds.
func ParamHelp(p demo.Param) string {
	unit := ""
	if p.Unit != "" {
		unit = " " + p.Unit
	}
	return fmt.Sprintf("%s (%d–%d%s)", p.Help, p.Min, p.Max, unit)
}

// SetParam sets a knob from its input; a bad value is named with its
// bounds and changes nothing.
func (c *Root) SetParam(name, value string) {
	values := c.Cfg.Values()
	values[name] = strings.TrimSpace(value)
	cfg, err := demo.Parse(values)
	if err != nil {
		c.FormErr = err.Error()
		return
	}
	c.FormErr = ""
	c.Cfg = cfg
	c.changed()
}

// HasStrategy reports whether the strategy is chosen.
func (c *Root) HasStrategy(id string) bool { return slices.Contains(c.Cfg.Strategies, id) }

// ToggleStrategy adds or removes a strategy, keeping the demo's order and
// at least one.
func (c *Root) ToggleStrategy(id string) {
	var ids []string
	for _, s := range c.Demo.Strategies {
		if (s == id) != c.HasStrategy(s) {
			ids = append(ids, s)
		}
	}
	if len(ids) == 0 {
		c.FormErr = "choose at least one strategy"
		return
	}
	c.FormErr = ""
	c.Cfg.Strategies = ids
	c.changed()
}

// Apply sets the whole config from name=value pairs (the embed's run
// message); a bad one changes nothing and is returned.
func (c *Root) Apply(values map[string]string) error {
	if values["demo"] == "" && c.Demo != nil {
		values["demo"] = c.Demo.ID
	}
	cfg, err := demo.Parse(values)
	if err != nil {
		return err
	}
	if c.Demo == nil || cfg.Demo != c.Demo.ID {
		c.Native, c.NatErr = nil, ""
	}
	c.Demo, _ = demo.Lookup(cfg.Demo)
	c.Cfg = cfg
	c.FormErr = ""
	c.changed()
	return nil
}

// Start runs the chosen strategies one after another, unless a run is
// under way. It returns at once; the run goes on in a goroutine.
func (c *Root) Start() {
	if c.Running || c.Demo == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.runID++
	cfg := c.Cfg
	env := demo.Env{Platform: c.B.Platform()}
	rep := demo.NewReport(env, cfg)
	rep.Runs = []report.Run{}
	c.Browser, c.Live = &rep, nil
	c.Running = true
	c.Done, c.Total = 0, tasksOf(cfg)*len(cfg.Strategies)
	c.Status = "running"
	c.B.Post(map[string]any{"type": "progress", "done": 0, "total": c.Total})
	go c.run(ctx, c.runID, cfg)
}

// Stop stops the run under way: the workers busy with it are terminated.
func (c *Root) Stop() {
	if c.cancel != nil {
		c.cancel()
	}
}

func tasksOf(cfg demo.Config) int { return max(cfg.Tasks, 1) }

// run is Start's goroutine.
func (c *Root) run(ctx context.Context, id int, cfg demo.Config) {
	redraw := time.NewTicker(redrawEvery)
	defer redraw.Stop()
	stopDrawing := make(chan struct{})
	defer close(stopDrawing)
	go func() {
		for {
			select {
			case <-redraw.C:
				c.EE.Lock()
				if !c.dirty {
					c.EE.UnlockOnly()
					continue
				}
				c.dirty = false
				c.B.Post(map[string]any{"type": "progress", "done": c.Done, "total": c.Total})
				c.EE.UnlockRender()
			case <-stopDrawing:
				return
			}
		}
	}()
	for _, s := range cfg.Strategies {
		if ctx.Err() != nil {
			break
		}
		c.EE.Lock()
		c.Live = &report.Run{Strategy: s, Workers: cfg.Workers, Tasks: []report.Task{}}
		c.dirty = true // drawn by the next tick: the run starts first
		c.EE.UnlockOnly()
		start := time.Now()
		run, err := c.B.RunOne(ctx, cfg, s, func(t report.Task) {
			c.EE.Lock()
			if c.runID == id && c.Live != nil {
				c.Live.Tasks = append(c.Live.Tasks, t)
				c.Live.WallMs = float64(time.Since(start).Microseconds()) / 1000
				c.Done++
				c.dirty = true
			}
			c.EE.UnlockOnly()
		})
		c.EE.Lock()
		switch {
		case err != nil && len(run.Tasks) == 0:
			run = Partial(s, cfg, c.Live.Tasks, float64(time.Since(start).Microseconds())/1000, err)
		case err != nil && run.Error == "":
			run.Error = err.Error()
		}
		c.Browser.Runs = append(c.Browser.Runs, run)
		c.Browser.Finish()
		c.Done = len(c.Browser.Runs) * tasksOf(cfg)
		c.Live = nil
		c.dirty = true
		c.EE.UnlockOnly()
	}
	c.EE.Lock()
	c.Running = false
	if ctx.Err() != nil {
		c.Status = "stopped"
	} else {
		c.Status = "done"
	}
	c.cancel()
	c.Done = c.Total
	c.B.Post(map[string]any{"type": "progress", "done": c.Done, "total": c.Total})
	c.B.Post(map[string]any{"type": "report", "report": c.Browser})
	c.EE.UnlockRender()
}

// Partial makes the run of a strategy that was stopped before it could
// report: the tasks delivered so far keep their values, the rest are
// marked as never run (lane -1), and the total is partial.
func Partial(id string, cfg demo.Config, delivered []report.Task, wallMs float64, why error) report.Run {
	run := report.Run{Strategy: id, Workers: cfg.Workers, WallMs: wallMs, Partial: true, Tasks: slices.Clone(delivered)}
	seen := map[int]bool{}
	total := new(big.Int)
	for _, t := range delivered {
		seen[t.ID] = true
		if v, ok := new(big.Int).SetString(t.Value, 10); ok && t.Error == "" {
			total.Add(total, v)
		}
	}
	for k := range tasksOf(cfg) {
		if !seen[k] {
			run.Tasks = append(run.Tasks, report.Task{ID: k, Lane: -1, StartMs: wallMs, EndMs: wallMs, Error: "stopped: " + why.Error()})
		}
	}
	run.Result = total.String()
	if why != context.Canceled && why != context.DeadlineExceeded {
		run.Error = why.Error()
	}
	return run
}

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

// TimelineHTML draws a run at the shared scale. Finished runs do not
// change, so their drawings are kept until the scale changes: a redraw
// while a run streams its tasks redraws only that run.
func (c *Root) TimelineHTML(i int, r report.Run) vugu.HTML {
	span := c.Span()
	width := WideTimeline
	if c.Narrow {
		width = NarrowTimeline
	}
	key := fmt.Sprintf("%d|%s|%d|%g|%g|%s|%g", i, r.Strategy, len(r.Tasks), r.WallMs, span, r.Result, width)
	if c.drawn == nil || len(c.drawn) > 64 {
		c.drawn = map[string]vugu.HTML{}
	}
	svg, ok := c.drawn[key]
	if !ok {
		svg = vugu.HTML(Timeline(r, span, width))
		c.drawn[key] = svg
	}
	return svg
}

// ProgressText says how far the run is.
func (c *Root) ProgressText() string {
	switch {
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
	if r.Lanes() == 1 {
		lanes = "lane"
	}
	return fmt.Sprintf("%d %s, %d of %d tasks ran", r.Lanes(), lanes, done, len(r.Tasks))
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
