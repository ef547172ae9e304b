// Package demo defines Lanes' demos — each a lesson of concurrent
// programming with its explanation, its Python idiom, its knobs, the
// strategies it compares and the Go source it runs — and runs them into a
// report.
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// A Demo is one lesson.
type Demo struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Explain string  `json:"explain"`
	Python  string  `json:"python"`
	Params  []Param `json:"params"`
	Targets bool    `json:"targets"` // whether it downloads, and so takes target
	// Strategies lists the strategy (or variant) ids it compares; Default
	// is the subset run when none is chosen.
	Strategies []string `json:"strategies"`
	Default    []string `json:"default"`
	// Sources lists the files of the Go code it runs, shown in the page.
	Sources []Source `json:"sources"`

	// variants maps the demo's own variant ids (order's ordered, skew's
	// pool, race's four) to the strategy that runs them; an id not in it
	// is a strategy id.
	variants map[string]variant
	// work returns the tasks the demo runs under cfg for the strategy or
	// variant id: the one function every demo has, and the one way a demo
	// runs (RunOne).
	work func(cfg Config, env Env, id string) (work, error)
}

// A variant is a demo's own way to run its tasks: a strategy, with the
// options it sets.
type variant struct {
	strategy string
	ordered  bool // results in submission order (strategy.Options.Ordered)
}

// work is what a demo runs for one strategy or variant.
type work struct {
	tasks []strategy.Task
	// judge, if set, finishes the run's record after the strategy's: a
	// demo that knows the correct result another way (race's counter) sets
	// Result, Expected and Note.
	judge func(*report.Run)
	// watch, if set, starts as the strategy is about to run, and what it
	// returns finishes the run's record after the strategy's (the
	// connections demo's memory).
	watch func() (stop func(*report.Run))
}

// tasksOnly is a demo's work function for demos whose tasks do not depend
// on the strategy.
func tasksOnly(tasks func(cfg Config, env Env) ([]strategy.Task, error)) func(Config, Env, string) (work, error) {
	return func(cfg Config, env Env, _ string) (work, error) {
		ts, err := tasks(cfg, env)
		return work{tasks: ts}, err
	}
}

// A Source is one Go file, as it is in the repository.
type Source struct {
	File string `json:"file"`
	Code string `json:"code"`
}

// All returns every demo, in the order the lessons go.
func All() []*Demo { return demos }

// IDs returns every demo's id.
func IDs() []string {
	ids := make([]string, len(demos))
	for i, d := range demos {
		ids[i] = d.ID
	}
	return ids
}

// Lookup returns the demo with the id — one of IDs, or TaskID — or an
// error listing the ids.
func Lookup(id string) (*Demo, error) {
	for _, d := range demos {
		if d.ID == id {
			return d, nil
		}
	}
	if id == TaskID {
		return taskDemo, nil
	}
	return nil, fmt.Errorf("demo %q: want one of %s", id, strings.Join(IDs(), ", "))
}

// Defaults returns the demo's config with every parameter at its default.
func (d *Demo) Defaults() Config {
	c := Config{Demo: d.ID, Strategies: slices.Clone(d.Default)}
	for _, p := range d.Params {
		p.knob.set(&c, p.Default)
	}
	return c
}

func (d *Demo) param(name string) (Param, bool) {
	for _, p := range d.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func (d *Demo) has(name string) bool {
	if name == "target" {
		return d.Targets
	}
	_, ok := d.param(name)
	return ok
}

func (d *Demo) paramNames() string {
	var names []string
	for _, p := range d.Params {
		names = append(names, p.Name)
	}
	if d.Targets {
		names = append(names, "target")
	}
	return strings.Join(names, ", ")
}

// UsesRemote reports whether the strategy or variant id runs the demo's
// work on remote workers (processes, Web Workers), as skew's variants all
// do, rather than in this Go instance.
func (d *Demo) UsesRemote(id string) bool {
	return strategy.UsesRemote(d.variant(id).strategy)
}

// Lanes is how many lanes the strategy or variant id runs n tasks on,
// given K lanes (strategy.Lanes).
func (d *Demo) Lanes(id string, k, n int) int {
	return strategy.Lanes(d.variant(id).strategy, k, n)
}

// variant returns how the demo runs the strategy or variant id.
func (d *Demo) variant(id string) variant {
	if v, ok := d.variants[id]; ok {
		return v
	}
	return variant{strategy: id}
}

// An Env is where a demo runs: natively, or in the browser.
type Env struct {
	Platform report.Platform
	// Runner runs tasks in this Go instance.
	Runner workload.Runner
	// Remote lends remote lanes (a remote.Pool of at least k) for one run
	// of a remote strategy, and a function to give them back. Natively it
	// starts OS processes, so their start-up is part of the run's time.
	Remote func(k int) (remote.Pool, func(), error)
	// TargetBase is the URL under which the built-in targets are served
	// (the part before /t/), for demos given no target.
	TargetBase string
	// OnTask, if set, is called as each task's result is delivered.
	OnTask func(strategy string, t report.Task)
}

// NewReport returns an empty report for cfg on env's platform.
func NewReport(env Env, cfg Config) report.Report {
	return report.Report{Schema: report.Schema, Demo: cfg.Demo, Platform: env.Platform, Params: cfg.ReportParams()}
}

// Run runs each of cfg's strategies cfg.Runs times (at least once) and
// returns the finished report. The repeats are interleaved and the order
// rotates each round (A B C, B C A, C A B, …; see Order), so a disturbance
// of the machine falls on every strategy alike; each strategy's run in the
// report is its median repeat (see report.Summarize). When ctx is done, the
// current run is cut short and reported as partial — or dropped, when the
// strategy already has a whole repeat — and no further runs start.
func Run(ctx context.Context, env Env, cfg Config) (report.Report, error) {
	rep := NewReport(env, cfg)
	repeats := map[string][]report.Run{}
	for _, id := range Order(cfg.Strategies, cfg.Runs) {
		if ctx.Err() != nil {
			break
		}
		run, err := RunOne(ctx, env, cfg, id)
		if err != nil {
			return rep, err
		}
		if ctx.Err() != nil && len(repeats[id]) > 0 {
			break // stopped: the whole repeats stand
		}
		repeats[id] = append(repeats[id], run)
	}
	for _, id := range cfg.Strategies {
		if rs := repeats[id]; len(rs) > 0 {
			rep.Runs = append(rep.Runs, report.Summarize(rs))
		}
	}
	rep.Finish()
	return rep, nil
}

// Order returns the order in which Run runs strategies repeated runs
// times: runs rounds, each starting one strategy further along, so that
// each strategy comes first, second, … equally often. A page that runs the
// repeats itself, one run at a time, runs them in this order and folds
// each strategy's repeats with report.Summarize.
func Order(strategies []string, runs int) []string {
	var order []string
	n := len(strategies)
	for round := range max(runs, 1) {
		for j := range n {
			order = append(order, strategies[(j+round)%n])
		}
	}
	return order
}

// RunOne runs cfg's demo with one strategy (or variant) id. Errors are for
// configs that cannot run at all; a task's failure is in the run.
func RunOne(ctx context.Context, env Env, cfg Config, id string) (report.Run, error) {
	d, err := Lookup(cfg.Demo)
	if err != nil {
		return report.Run{}, err
	}
	if !slices.Contains(d.Strategies, id) {
		return report.Run{}, fmt.Errorf("strategy %q: demo %s has %s", id, d.ID, strings.Join(d.Strategies, ", "))
	}
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	onTask := func(report.Task) {}
	if env.OnTask != nil {
		onTask = func(t report.Task) { env.OnTask(id, t) }
	}
	w, err := d.work(cfg, env, id)
	if err != nil {
		return report.Run{}, err
	}
	v := d.variant(id)
	opt := strategy.Options{K: cfg.K, Chunk: cfg.Chunk, Runner: env.Runner, Ordered: v.ordered, OnDeliver: onTask}
	if strategy.UsesRemote(v.strategy) {
		if env.Remote == nil {
			return report.Run{}, errors.New("strategy " + id + ": no remote workers here")
		}
		pool, release, err := env.Remote(opt.K)
		if err != nil {
			return report.Run{}, fmt.Errorf("strategy %s: %w", id, err)
		}
		defer release()
		opt.Remote = pool
	}
	var stop func(*report.Run)
	if w.watch != nil {
		stop = w.watch()
	}
	run := strategy.Run(ctx, v.strategy, w.tasks, opt)
	run.Strategy = id
	if stop != nil {
		stop(&run)
	}
	if w.judge != nil {
		w.judge(&run)
	}
	return run, nil
}
