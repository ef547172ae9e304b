package site

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vugu/vugu"

	"lanes/core/demo"
	"lanes/core/report"
)

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
	Warming  bool // the run under way is the unseen warm-up before the first
	Done     int
	Total    int
	Status   string
	Browser  *report.Report // the last run in the browser
	Live     *report.Run    // the strategy under way
	Native   *report.Report // the native run to compare with
	NativeBy string         // where Native came from
	NatErr   string
	NatBusy  bool
	Narrow   bool // a phone-sized window: narrower timelines
	// Open holds the source files shown open: the page keeps the state,
	// as every render rewrites the elements' attributes, and the code of
	// closed files stays out of the page.
	Open map[string]bool

	cancel   context.CancelFunc
	warm     bool // the warm-up has run
	runID    int
	drawn    map[string]string // timelines already drawn, by Drawing's key
	gen      atomic.Int64      // counts the changes a goroutine waits to see rendered
	rendered chan int64        // the gen of each finished render, for waitRendered
}

// Gen is the state's generation, read by the render loop before it builds
// the page and handed back to Rendered after.
func (c *Root) Gen() int64 { return c.gen.Load() }

// Rendered tells the root that a render of the state of generation gen is
// on the page, painted.
func (c *Root) Rendered(gen int64) {
	select {
	case c.renders() <- gen:
	default: // nobody waits
	}
}

func (c *Root) renders() chan int64 {
	if c.rendered == nil {
		c.rendered = make(chan int64, 1)
	}
	return c.rendered
}

// rendering marks a change of state, made under the event lock, that a
// goroutine will wait to see rendered; it returns the change's generation.
func (c *Root) rendering() int64 {
	c.renders()
	return c.gen.Add(1)
}

// waitRendered waits until a render of generation gen (or a later one) is
// on the page, or a second has passed.
func (c *Root) waitRendered(gen int64) {
	timeout := time.After(time.Second)
	for {
		select {
		case g := <-c.renders():
			if g >= gen {
				return
			}
		case <-timeout:
			return
		}
	}
}

// timelineWidth is the width timelines are drawn at.
func (c *Root) timelineWidth() float64 {
	if c.Narrow {
		return NarrowTimeline
	}
	return WideTimeline
}

// pageKeys are the page's own settings (demo.PageKeys), as the URL or a
// run message gives them.
type pageKeys struct {
	theme    string // "", "light" or "dark"
	controls bool   // false: controls=0, which hides the knobs in the embed
	autorun  bool
}

// parsePage reads the page keys with get; a bad value keeps its default
// and is named in a note.
func parsePage(get func(string) string) (pageKeys, []string) {
	p := pageKeys{controls: true}
	var notes []string
	switch t := get("theme"); t {
	case "", "light", "dark":
		p.theme = t
	default:
		notes = append(notes, fmt.Sprintf("theme=%q: want light or dark", t))
	}
	switch v := get("controls"); v {
	case "", "1":
	case "0":
		p.controls = false
	default:
		notes = append(notes, fmt.Sprintf("controls=%q: want 0 or 1", v))
	}
	switch v := get("autorun"); v {
	case "", "0":
	case "1":
		p.autorun = true
	default:
		notes = append(notes, fmt.Sprintf("autorun=%q: want 0 or 1", v))
	}
	return p, notes
}

// setPage applies the page keys (autorun is the caller's to act on).
func (c *Root) setPage(p pageKeys) {
	c.Theme = p.theme
	c.Controls = p.controls || !c.Embed
}

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
	page, notes := parsePage(func(k string) string { return q.Get(k) })
	c.setPage(page)
	autorun = page.autorun
	if q.Get("demo") == "" && len(q) == len(pageKeysIn(q)) {
		c.choose(DefaultDemo)
	} else if cfg, err := demo.ParseQuery(q, demo.PageKeys...); err != nil {
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
		if slices.Contains(demo.PageKeys, k) {
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
// message), with the page keys as in the URL (autorun means nothing in a
// message that runs anyway); a bad one changes nothing and is returned.
func (c *Root) Apply(values map[string]string) error {
	page, notes := parsePage(func(k string) string { return values[k] })
	if len(notes) > 0 {
		return errors.New(strings.Join(notes, "; "))
	}
	demoValues := maps.Clone(values)
	for _, k := range demo.PageKeys {
		delete(demoValues, k)
	}
	if demoValues["demo"] == "" && c.Demo != nil {
		demoValues["demo"] = c.Demo.ID
	}
	cfg, err := demo.Parse(demoValues)
	if err != nil {
		return err
	}
	if _, ok := values["theme"]; ok {
		c.Theme = page.theme
	}
	if _, ok := values["controls"]; ok {
		c.Controls = page.controls || !c.Embed
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
