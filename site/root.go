package site

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vugu/vugu"

	"lanes/core/demo"
)

// DefaultDemo is shown when the URL names none, or a bad one.
const DefaultDemo = "cpu-sumsq"

// Root is the page, the Vugu component at the top: it wires the page's
// three parts — Settings (what its URL holds), Runs (the runs in the
// browser) and Comparison (a native report beside them) — to the Backend
// and the event environment. Its exported methods are called from the
// template's event handlers, which hold the event lock; goroutines take
// the lock themselves and ask for a render as they release it.
type Root struct {
	Backend Backend
	Events  vugu.EventEnv
	Settings
	Runs
	Comparison
	UserTask

	gen       atomic.Int64 // counts the changes a goroutine waits to see rendered
	painted   atomic.Int64 // the latest generation rendered and painted
	paint     chan struct{}
	paintOnce sync.Once
}

// Gen is the state's generation, read by the render loop before it builds
// the page and handed back to Rendered after.
func (c *Root) Gen() int64 { return c.gen.Load() }

// Rendered tells the root that a render of the state of generation gen is
// on the page, painted.
func (c *Root) Rendered(gen int64) {
	for {
		old := c.painted.Load()
		if gen <= old || c.painted.CompareAndSwap(old, gen) {
			break
		}
	}
	select {
	case c.paints() <- struct{}{}:
	default: // a wake-up is already waiting
	}
}

// paints wakes waitRendered after each render; the render loop's goroutine
// and a run's both reach it first, so it is made once.
func (c *Root) paints() chan struct{} {
	c.paintOnce.Do(func() { c.paint = make(chan struct{}, 1) })
	return c.paint
}

// rendering marks a change of state, made under the event lock, that a
// goroutine will wait to see rendered; it returns the change's generation.
func (c *Root) rendering() int64 {
	return c.gen.Add(1)
}

// renderWait bounds waitRendered: a page that cannot paint (a hidden
// tab) does not hold the run up longer.
var renderWait = time.Second

// waitRendered waits until a render of generation gen (or a later one) is
// painted, or renderWait has passed.
func (c *Root) waitRendered(gen int64) {
	timeout := time.After(renderWait)
	for c.painted.Load() < gen {
		select {
		case <-c.paints():
		case <-timeout:
			return
		}
	}
}

// ShareURL is a link to the page with its current settings.
func (c *Root) ShareURL() string { return c.Backend.Origin() + "/?" + c.Query() + c.Fragment() }

// EmbedSnippet is the iframe markup for the current settings.
func (c *Root) EmbedSnippet() string {
	return fmt.Sprintf(`<iframe src="%s/embed?%s%s" width="100%%" height="460" style="border:0" title="Lanes: %s" loading="lazy"></iframe>`,
		c.Backend.Origin(), c.Query(), c.Fragment(), c.Demo.Title)
}

func (c *Root) changed() {
	c.Backend.SetQuery(c.Query() + c.Fragment())
}

// choose shows a demo with its defaults, and no native report.
func (c *Root) choose(id string) {
	c.Settings.choose(id)
	c.Native, c.NativeErr = nil, ""
}

// ChooseDemo switches to the demo picked in the list.
func (c *Root) ChooseDemo(id string) {
	if c.Running() || (c.Demo != nil && c.Demo.ID == id) {
		return
	}
	c.choose(id)
	c.Report, c.Live = nil, nil
	c.Status = ""
	c.changed()
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
		c.Native, c.NativeErr = nil, ""
	}
	c.Demo, _ = demo.Lookup(cfg.Demo)
	c.Cfg = cfg
	c.FormErr = ""
	c.changed()
	return nil
}
