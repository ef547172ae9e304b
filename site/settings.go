package site

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"lanes/core/demo"
)

// Settings are what the page's URL holds — the demo and its config — and
// how the page shows them.
type Settings struct {
	Demo     *demo.Demo
	Cfg      demo.Config
	Embed    bool   // the compact view at /embed
	Controls bool   // show the knobs (controls=0 hides them in the embed)
	Theme    string // "", "light" or "dark"
	Notice   string // what was wrong with the URL
	FormErr  string // what was wrong with a knob
	// Open holds the source files shown open: the page keeps the state,
	// as every render rewrites the elements' attributes, and the code of
	// closed files stays out of the page.
	Open map[string]bool
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
func (s *Settings) setPage(p pageKeys) {
	s.Theme = p.theme
	s.Controls = p.controls || !s.Embed
}

// Setup reads the page's URL query. Bad parameters leave a notice and the
// defaults, never a blank page. It reports whether autorun=1 was given.
func (s *Settings) Setup(query string) (autorun bool) {
	s.Controls = true
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		s.Notice = "The link's parameters could not be read (" + err.Error() + "); showing the defaults."
		s.choose(DefaultDemo)
		return false
	}
	page, notes := parsePage(func(k string) string { return q.Get(k) })
	s.setPage(page)
	autorun = page.autorun
	if q.Get("demo") == "" && len(q) == len(pageKeysIn(q)) {
		s.choose(DefaultDemo)
	} else if cfg, err := demo.ParseQuery(q, demo.PageKeys...); err != nil {
		notes = append(notes, err.Error())
		autorun = false
		id := q.Get("demo")
		if _, err := demo.Lookup(id); err != nil {
			id = DefaultDemo
		}
		s.choose(id)
	} else {
		s.Demo, _ = demo.Lookup(cfg.Demo)
		s.Cfg = cfg
	}
	if len(notes) > 0 {
		s.Notice = "Some of the link's parameters were not understood, so their defaults are used: " + strings.Join(notes, "; ") + "."
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
func (s *Settings) choose(id string) {
	d, err := demo.Lookup(id)
	if err != nil {
		return
	}
	s.Demo, s.Cfg = d, d.Defaults()
	s.FormErr = ""
}

// Query is the page's state as a URL query, for links.
func (s *Settings) Query() string {
	q := s.Cfg.Query()
	if s.Theme != "" {
		q.Set("theme", s.Theme)
	}
	return q.Encode()
}

// ParamValue is a knob's value as its input shows it: a whole number.
func (s *Settings) ParamValue(p demo.Param) string {
	return strconv.FormatInt(s.Cfg.Value(p), 10)
}

// ParamHelp is a knob's explanation with its bounds.
func ParamHelp(p demo.Param) string {
	unit := ""
	if p.Unit != "" {
		unit = " " + p.Unit
	}
	return fmt.Sprintf("%s (%d–%d%s)", p.Help, p.Min, p.Max, unit)
}

// HasStrategy reports whether the strategy is chosen.
func (s *Settings) HasStrategy(id string) bool { return slices.Contains(s.Cfg.Strategies, id) }
