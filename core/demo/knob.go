package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Knob is one numeric parameter that demos take. Knobs is the one table
// of them: the URL's keys (Parse, Values), the command line's flags, the
// native-run API's caps and the errors are all derived from it, and a demo
// lists the knobs it takes, with its own defaults and bounds, in
// Demo.Params. docs/adding-a-knob.md says how to add one.
type Knob struct {
	// Name is the knob's name in the URL, the API, the embed protocol and
	// the command line (--name): a contract.
	Name string
	// Unit is "" for a whole number, or UnitMs for a duration.
	Unit string
	// Help says what the knob is, where a demo says nothing more precise.
	Help string
	// ServerMax is the most a public server runs (the native-run API
	// refuses more), where a demo does not set its own; 0 means no cap
	// beyond the demo's bounds.
	ServerMax int64

	get func(Config) int64
	set func(*Config, int64)
}

// UnitMs is the unit of a duration knob: its value is a whole number of
// milliseconds, read as a Go duration ("200ms", "2s") or a bare number, and
// reported under its name with "_ms" added.
const UnitMs = "ms"

// MaxRunTime is the longest a server lets one run take (its deadline), and
// so the most a timeout can ask of it.
const MaxRunTime = 60 * time.Second

// The knobs' names, as the URL spells them.
const (
	KnobTasks   = "tasks"
	KnobWorkers = "workers"
	KnobSize    = "size"
	KnobChunk   = "chunk"
	KnobLatency = "latency"
	KnobTimeout = "timeout"
	KnobRuns    = "runs"
)

// Knobs is the table of every knob, in the order the command line lists
// them.
var Knobs = []*Knob{
	{Name: KnobTasks, Help: "how many tasks the work is split into", ServerMax: 256,
		get: func(c Config) int64 { return int64(c.Tasks) }, set: func(c *Config, n int64) { c.Tasks = int(n) }},
	{Name: KnobWorkers, Help: "K: lanes for pool, semaphore, workers, partition and chunked", ServerMax: 4,
		get: func(c Config) int64 { return int64(c.K) }, set: func(c *Config, n int64) { c.K = int(n) }},
	{Name: KnobSize, Help: "the amount of work: what it counts is the demo's own",
		get: func(c Config) int64 { return c.Size }, set: func(c *Config, n int64) { c.Size = n }},
	{Name: KnobChunk, Help: "tasks sent to a worker at a time by chunked",
		get: func(c Config) int64 { return int64(c.Chunk) }, set: func(c *Config, n int64) { c.Chunk = int(n) }},
	{Name: KnobLatency, Unit: UnitMs, Help: "delay of each built-in target before its first byte (in order: one unit of task length)", ServerMax: 2000,
		get: func(c Config) int64 { return c.Latency.Milliseconds() }, set: func(c *Config, n int64) { c.Latency = time.Duration(n) * time.Millisecond }},
	{Name: KnobTimeout, Unit: UnitMs, Help: "a deadline for each run; 0 means none", ServerMax: MaxRunTime.Milliseconds(),
		get: func(c Config) int64 { return c.Timeout.Milliseconds() }, set: func(c *Config, n int64) { c.Timeout = time.Duration(n) * time.Millisecond }},
	{Name: KnobRuns, Help: "times each strategy runs, interleaved; the median run is shown", ServerMax: 5,
		get: func(c Config) int64 { return int64(c.Runs) }, set: func(c *Config, n int64) { c.Runs = int(n) }},
}

// LookupKnob returns the knob named name.
func LookupKnob(name string) (*Knob, bool) {
	for _, k := range Knobs {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

func knob(name string) *Knob {
	k, ok := LookupKnob(name)
	if !ok {
		panic("demo: no knob " + name) // at init: the demo table names a knob
	}
	return k
}

// Param returns the knob as a demo takes it, with the demo's default and
// bounds.
func (k *Knob) Param(def, least, most int64) Param {
	return Param{Name: k.Name, Help: k.Help, Unit: k.Unit, Default: def, Min: least, Max: most, ServerMax: k.ServerMax, knob: k}
}

// A Param is one of a demo's knobs, with the demo's default, bounds and
// help. Values with Unit UnitMs are durations in milliseconds.
type Param struct {
	Name    string `json:"name"`
	Help    string `json:"help"`
	Unit    string `json:"unit,omitempty"`
	Default int64  `json:"default"`
	Min     int64  `json:"min"`
	Max     int64  `json:"max"`
	// ServerMax is the most a public server runs; 0 means Max.
	ServerMax int64 `json:"-"`

	knob *Knob
}

// Knob returns the table's row for the parameter.
func (p Param) Knob() *Knob { return p.knob }

// WithHelp returns the parameter saying what it means in this demo.
func (p Param) WithHelp(help string) Param {
	p.Help = help
	return p
}

// WithServerMax returns the parameter with a server's cap of its own.
func (p Param) WithServerMax(most int64) Param {
	p.ServerMax = most
	return p
}

// Duration reports whether the value is a duration in milliseconds.
func (p Param) Duration() bool { return p.Unit == UnitMs }

// Label is the parameter's name with its unit, as a form labels it.
func (p Param) Label() string {
	if p.Unit != "" {
		return p.Name + " (" + p.Unit + ")"
	}
	return p.Name
}

// Format writes a value as Parse reads it back: durations with "ms".
func (p Param) Format(n int64) string {
	s := strconv.FormatInt(n, 10)
	if p.Duration() {
		s += UnitMs
	}
	return s
}

// ReportName is the parameter's name in a report's params: durations are
// in milliseconds under a name ending in "_ms".
func (p Param) ReportName() string {
	if p.Duration() {
		return p.Name + "_" + UnitMs
	}
	return p.Name
}

func (p Param) parse(v string) (int64, error) {
	var n int64
	var err error
	if p.Duration() {
		n, err = parseMs(v)
	} else {
		n, err = parseCount(v)
	}
	if err != nil || n < p.Min || n > p.Max {
		return 0, fmt.Errorf("%s=%q: %s", p.Name, v, p.Bounds())
	}
	return n, nil
}

// Bounds says in words what values the parameter takes.
func (p Param) Bounds() string {
	if p.Duration() {
		return fmt.Sprintf("want a duration from %v to %v", time.Duration(p.Min)*time.Millisecond, time.Duration(p.Max)*time.Millisecond)
	}
	return fmt.Sprintf("want a whole number from %d to %d", p.Min, p.Max)
}

// Value returns the parameter's value in cfg, in its unit.
func (c Config) Value(p Param) int64 { return p.knob.get(c) }

// parseCount reads a whole number, allowing 1e8-style powers of ten and _
// separators.
func parseCount(v string) (int64, error) {
	v = strings.ReplaceAll(v, "_", "")
	if m, e, ok := strings.Cut(v, "e"); ok {
		base, err1 := strconv.ParseInt(m, 10, 64)
		exp, err2 := strconv.Atoi(e)
		if err1 != nil || err2 != nil || exp < 0 || exp > 18 {
			return 0, fmt.Errorf("bad number %q", v)
		}
		n := base
		for range exp {
			if n > (1<<63-1)/10 || n < -(1<<63-1)/10 {
				return 0, fmt.Errorf("number %q too large", v)
			}
			n *= 10
		}
		return n, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// parseMs reads a Go duration or a whole number of milliseconds.
func parseMs(v string) (int64, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	if d%time.Millisecond != 0 {
		return 0, fmt.Errorf("%q is not a whole number of milliseconds", v)
	}
	return d.Milliseconds(), nil
}

// The knobs as the demos take them, with defaults and bounds shared by
// several demos.
func tasksParam(def, most int64) Param { return knob(KnobTasks).Param(def, 1, most) }

func workersParam(def int64) Param { return knob(KnobWorkers).Param(def, 1, 32) }

// sizeParam is the amount of work, whose meaning help gives. The CPU demos'
// default, 10⁹, makes a sequential run of about 420 ms in a browser and 400
// ms natively (8 tasks of about 50 ms): long enough that what it teaches —
// goroutines in one Go wasm instance ≈ sequential, 2 workers ≈ 2× on 2
// cores — shows through the fixed costs of a run (a worker's first message,
// a round trip per task, the last task's wait). At 5·10⁸, 2 Web Workers
// over sequential measured 1.73× (1.57–2.04) on a first visit, 10 fresh
// profiles; at a tenth of that the fixed costs blurred or inverted the
// lesson. serverMax is the most a public server runs; 0 means the demo's
// Max (cancel: its timeout, at most the server's deadline, bounds the work).
func sizeParam(help string, def, most, serverMax int64) Param {
	return knob(KnobSize).Param(def, 0, most).WithHelp(help).WithServerMax(serverMax)
}

func chunkParam(def int64) Param { return knob(KnobChunk).Param(def, 1, 10_000) }

func latencyParam(help string, def, least int64) Param {
	return knob(KnobLatency).Param(def, least, 10_000).WithHelp(help)
}

func timeoutParam(def, least int64) Param { return knob(KnobTimeout).Param(def, least, 600_000) }

// MaxRuns is the most repeats a run may ask for.
const MaxRuns = 20

// runsParam repeats every strategy, interleaved, to show medians: every
// demo has it.
func runsParam() Param { return knob(KnobRuns).Param(1, 1, MaxRuns) }
