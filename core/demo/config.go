package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A Config is one request to run a demo: the demo, the strategies to
// compare and the demo's parameters. Parse builds one from the names the
// URL, the API and the command line share.
type Config struct {
	Demo       string
	Strategies []string
	Tasks      int
	// K is the lanes given to pool, semaphore, workers, partition, chunked and
	// the hybrid's CPU stage: the knob named "workers" in the URL, the API
	// and the command line.
	K int
	// Size is the amount of work, whose meaning is the demo's own (its
	// Param's help says it): the bound of a sum (cpu-sumsq, skew, cancel)
	// or of a sieve (cpu-primes), hashing rounds over each body
	// (pipeline), increments per task (race).
	Size  int64
	Chunk int
	// Latency is each built-in target's delay before its first byte
	// (io-download, pipeline), in order one unit of task length, and in
	// connections each connection's wait.
	Latency time.Duration
	Timeout time.Duration
	Targets []string
	// Runs is how many times each strategy runs, interleaved; the report
	// shows each strategy's median run (see Run).
	Runs int
}

// Keys are the parameter names Parse accepts, besides each demo's Params.
var Keys = []string{"demo", "strategy", "target"}

// PageKeys are the URL parameters that belong to the page, not to a demo:
// a link, an embed's run message or an API body may carry them along, and
// whoever hands the rest to Parse drops them first.
var PageKeys = []string{"autorun", "theme", "controls"}

// Parse reads a config from name=value pairs, the names being demo,
// strategy (a comma list, or "all"), target (a comma list of URLs) and the
// chosen demo's parameters (tasks, workers, size, chunk, latency, timeout,
// runs).
// Durations are Go durations ("200ms") or whole milliseconds. Missing
// values take the demo's defaults; anything unknown, malformed or out of
// bounds is an error that names it and its bounds.
func Parse(values map[string]string) (Config, error) {
	id, ok := values["demo"]
	if !ok || id == "" {
		return Config{}, fmt.Errorf("demo: missing; want one of %s", strings.Join(IDs(), ", "))
	}
	d, err := Lookup(id)
	if err != nil {
		return Config{}, err
	}
	cfg := d.Defaults()
	for _, name := range sortedKeys(values) {
		v := values[name]
		switch name {
		case "demo":
		case "strategy":
			if cfg.Strategies, err = d.parseStrategies(v); err != nil {
				return cfg, err
			}
		case "target":
			if !d.has("target") {
				return cfg, fmt.Errorf("target: demo %s downloads nothing", d.ID)
			}
			if cfg.Targets, err = parseTargets(v); err != nil {
				return cfg, err
			}
		default:
			p, ok := d.param(name)
			if !ok {
				return cfg, fmt.Errorf("%s: demo %s has no such parameter; it has %s", name, d.ID, d.paramNames())
			}
			n, err := p.parse(v)
			if err != nil {
				return cfg, err
			}
			p.knob.set(&cfg, n)
		}
	}
	return cfg, nil
}

// ParseQuery is Parse for a URL query; a parameter given twice is an error.
// Names in ignore (the page's own, such as autorun) are skipped.
func ParseQuery(q url.Values, ignore ...string) (Config, error) {
	values := map[string]string{}
	for name, vs := range q {
		if slices.Contains(ignore, name) {
			continue
		}
		if len(vs) != 1 {
			return Config{}, fmt.Errorf("%s: given %d times, want once", name, len(vs))
		}
		values[name] = vs[0]
	}
	return Parse(values)
}

// Values returns the config as the name=value pairs Parse reads, so a link
// can reproduce the run.
func (c Config) Values() map[string]string {
	d, _ := Lookup(c.Demo)
	v := map[string]string{"demo": c.Demo, "strategy": strings.Join(c.Strategies, ",")}
	if d == nil {
		return v
	}
	for _, p := range d.Params {
		v[p.Name] = p.Format(c.Value(p))
	}
	if len(c.Targets) > 0 {
		v["target"] = strings.Join(c.Targets, ",")
	}
	return v
}

// Query returns Values as a URL query.
func (c Config) Query() url.Values {
	q := url.Values{}
	for k, v := range c.Values() {
		q.Set(k, v)
	}
	return q
}

// ReportParams returns the parameters as a report lists them, durations in
// milliseconds under names ending in _ms.
func (c Config) ReportParams() map[string]any {
	d, _ := Lookup(c.Demo)
	m := map[string]any{}
	if d == nil {
		return m
	}
	for _, p := range d.Params {
		m[p.ReportName()] = c.Value(p)
	}
	if len(c.Targets) > 0 {
		m["targets"] = c.Targets
	}
	return m
}

func parseTargets(v string) ([]string, error) {
	var urls []string
	for _, s := range strings.Split(v, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("target=%q: want absolute http or https URLs, comma separated", s)
		}
		urls = append(urls, u.String())
	}
	if len(urls) > 100 {
		return nil, fmt.Errorf("target: %d URLs, want at most 100", len(urls))
	}
	return urls, nil
}

func (d *Demo) parseStrategies(v string) ([]string, error) {
	if v == "all" {
		return slices.Clone(d.Strategies), nil
	}
	var ids []string
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(d.Strategies, s) {
			return nil, fmt.Errorf("strategy %q: demo %s has %s, or all", s, d.ID, strings.Join(d.Strategies, ", "))
		}
		if !slices.Contains(ids, s) {
			ids = append(ids, s)
		}
	}
	return ids, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ParamText is the text Parse reads for a parameter given as a JSON value
// (an API body's, an embed message's): a string as it is, a number as it
// is spelt (1e8 stays "1e8"), so that a knob's own parsing and bounds
// apply to both forms alike. Anything else — true, false, null, an object,
// an array, a number beyond float64 — is not a parameter: ok is false.
func ParamText(raw json.RawMessage) (text string, ok bool) {
	var s string
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '"' && json.Unmarshal(t, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
		return "", false
	}
	return n.String(), true
}
