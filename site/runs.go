package site

import (
	"context"
	"errors"
	"time"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/report"
)

// Runs are the runs in the browser: the last report, the strategy under
// way and how far the run is.
type Runs struct {
	// Status is "" before the first run, then "running", "done" or
	// "stopped" — or "failed", a task that did not build.
	Status  string
	Warming bool           // the run under way is the unseen warm-up before the first
	Report  *report.Report // the last run in the browser
	Live    *report.Run    // the strategy under way
	Done    int            // tasks delivered
	Total   int            // tasks to deliver
	// Preparing says what the run does before its first strategy (a
	// task's build), or "".
	Preparing string

	cancel    context.CancelFunc
	liveTasks int               // the tasks the strategy under way will have
	warm      bool              // the warm-up has run
	runID     int               // counts runs, so a stopped run's late news is dropped
	acct      report.Accountant // finishes Report after each strategy, sweeping only the new run
}

// Running reports whether a run is under way.
func (r *Runs) Running() bool { return r.Status == "running" }

// liveEvery paces the live drawing of the run under way: 10 a second.
// While a strategy runs, the page does no Vugu render at all (a render
// rebuilds the whole tree, and on a 2-core machine its CPU comes from the
// workers); it only puts the live run's timeline and the progress into
// their elements (Backend.DrawLive). Vugu renders between strategies, when
// no measured task runs.
const liveEvery = 100 * time.Millisecond

// liveAfter is when the live drawing of a run starts: a shorter run is
// over before a person could follow it, and is not disturbed at all. After
// it the run is drawn at a steady pace, news or not (its time axis grows),
// so that every strategy pays the drawing alike: drawing on news alone
// drew sequential, whose tasks finish one by one, and not goroutines in
// one thread, which all finish at the end.
const liveAfter = 250 * time.Millisecond

// liveShare keeps the live drawing to about a fiftieth of the page's main
// thread: after a drawing that took d, the next waits at least
// liveShare·d, so a run of many tasks is drawn less often rather than
// slowed.
const liveShare = 50

// Start runs the chosen strategies one after another, unless a run is
// under way. It returns at once; the run goes on in a goroutine.
func (c *Root) Start() {
	if c.Running() || c.Demo == nil || !c.readyToStart() {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.runID++
	cfg := c.Cfg
	env := demo.Env{Platform: c.Backend.Platform()}
	rep := demo.NewReport(env, cfg)
	rep.Runs = []report.Run{}
	c.Report, c.Live, c.acct = &rep, nil, report.Accountant{}
	c.Done, c.Total = 0, tasksOf(cfg)*len(cfg.Strategies)*max(cfg.Runs, 1)
	c.Status = "running"
	c.Backend.Post(protocol.Progress(0, c.Total))
	go c.run(ctx, c.runID, cfg)
}

// Stop stops the run under way: the workers busy with it are terminated.
func (c *Root) Stop() {
	if c.cancel != nil {
		c.cancel()
	}
}

func tasksOf(cfg demo.Config) int { return max(cfg.Tasks, 1) }

// run is Start's goroutine. The page's first run is preceded by a small
// one that is not shown (warmUp).
func (c *Root) run(ctx context.Context, id int, cfg demo.Config) {
	if cfg.Demo == demo.TaskID {
		if !c.buildTask(ctx) {
			return
		}
	} else if !c.warm {
		c.warmUp(ctx, id, cfg)
	}
	var runs []report.Run // in the order they ran
	ran := map[string]bool{}
	for n, s := range demo.Order(cfg.Strategies, cfg.Runs) {
		if ctx.Err() != nil {
			break
		}
		run := c.runStrategy(ctx, id, cfg, s)
		breathe()
		c.Events.Lock()
		if ctx.Err() == nil || !ran[s] { // stopped: the whole repeats stand
			runs = append(runs, run)
			ran[s] = true
		}
		c.Report.Runs = report.Fold(runs)
		c.acct.Finish(c.Report)
		c.Done = (n + 1) * tasksOf(cfg)
		c.Events.UnlockOnly()
		breathe()
	}
	c.Events.Lock()
	if ctx.Err() != nil {
		c.Status = "stopped"
	} else {
		c.Status = "done"
	}
	c.cancel()
	c.Done = c.Total
	c.Backend.Post(protocol.Progress(c.Done, c.Total))
	c.Backend.Post(protocol.Report(c.Report))
	c.Events.UnlockRender()
}

// breathe lets the browser draw a frame between two long steps of the
// page's Go: with nothing else to run, Go returns to the browser while it
// sleeps. At the end of a strategy of 10,000 tasks, the run's answer, the
// report's figures (Report.Finish) and the next card's render each take
// tens of milliseconds of the main thread, and in one task they held it
// for 100 ms.
func breathe() { time.Sleep(time.Millisecond) }

// warmUp runs a small cpu-sumsq, unseen, through the whole path the page's
// runs take — the coordinator, a run inside one worker and one spread over
// the pool, the task events, the live drawing and the run cards' renders —
// before the page's first measured run, after the page's own rehearsal
// (Backend.Rehearse) when the page was not idle long enough for it. On a
// first visit the browser compiles the code of that path (its optimizing
// tier, on background threads) as it first runs; without the warm-up that
// compiling took CPU from the first measured run, and sequential, which
// runs first, looked slower than goroutines in the same worker.
func (c *Root) warmUp(ctx context.Context, id int, cfg demo.Config) {
	w, ok := WarmUp(cfg.Tasks, cfg.K)
	if !ok {
		return
	}
	c.Events.Lock()
	c.Warming = true
	c.Events.UnlockOnly()
	c.Backend.Rehearse(ctx)
	for _, s := range WarmUpStrategies {
		if ctx.Err() != nil {
			break
		}
		c.runStrategy(ctx, id, w, s)
	}
	c.Events.Lock()
	c.Warming = false
	c.warm = ctx.Err() == nil
	c.Events.UnlockOnly()
}

// WarmUp is the warm-up's work before runs of tasks tasks on k lanes: a
// small cpu-sumsq, built-in work (never a user's task), run with each of
// WarmUpStrategies. ok is false if the demo is missing.
func WarmUp(tasks, k int) (w demo.Config, ok bool) {
	d, err := demo.Lookup("cpu-sumsq")
	if err != nil {
		return w, false
	}
	w = d.Defaults()
	w.Size = warmUpSize
	w.Tasks = min(max(tasks, 1), 64)
	w.K = max(k, 2)
	w.Runs = 1
	return w, true
}

// WarmUpStrategies are the strategies a warm-up runs: one in a worker, one
// spread over the pool.
var WarmUpStrategies = []string{"sequential", "goroutines", "workers"}

// warmUpSize is the warm-up's sum of squares: a few milliseconds of work.
const warmUpSize = 8_000_000

// runStrategy runs one strategy of cfg as the page shows it: the card of
// the run under way goes on the page before the run starts (the last
// render until it is over), and its timeline, empty (which makes its
// drawing and finds the memory of the run's tasks: in the first live
// drawing of 10,000, 20–45 ms); the run is drawn live without renders,
// and the finished run is returned — partial when ctx was done.
func (c *Root) runStrategy(ctx context.Context, id int, cfg demo.Config, s string) report.Run {
	c.Events.Lock()
	c.liveTasks = tasksOf(cfg)
	c.Live = &report.Run{Strategy: s, Lanes: c.Demo.Lanes(s, cfg.K, c.liveTasks), Tasks: make([]report.Task, 0, c.liveTasks)}
	gen := c.rendering()
	c.Events.UnlockRender()
	c.waitRendered(gen)
	c.drawLiveOnce(id, time.Now())

	start := time.Now()
	stopDrawing := c.drawLive(id, start)
	run, err := c.Backend.RunOne(ctx, cfg, s, func(t report.Task) {
		c.Events.Lock()
		if c.runID == id && c.Live != nil {
			c.Live.Tasks = append(c.Live.Tasks, t)
			c.Live.WallMs = report.MsSince(start)
			if !c.Warming {
				c.Done++
			}
		}
		c.Events.UnlockOnly()
	})
	stopDrawing()
	c.Events.Lock()
	defer c.Events.UnlockOnly()
	switch {
	case err != nil && len(run.Tasks) == 0:
		run = report.Cut(s, c.Live.Lanes, tasksOf(cfg), c.Live.Tasks, report.MsSince(start), err)
	case err != nil && run.Error == "" && !errors.Is(err, context.Canceled):
		run.Error = err.Error()
	}
	c.Live = nil
	return run
}

// drawLive draws the run under way, paced, until the returned function is
// called (which waits for the drawing to stop).
func (c *Root) drawLive(id int, start time.Time) (stop func()) {
	quit := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		wait := liveAfter
		for {
			select {
			case <-time.After(wait):
			case <-quit:
				return
			}
			wait = max(liveEvery, liveShare*c.drawLiveOnce(id, start))
		}
	}()
	return func() {
		close(quit)
		<-stopped
	}
}

// drawLiveOnce draws the run under way, started at start, unless run id
// is over, and returns the time it took.
func (c *Root) drawLiveOnce(id int, start time.Time) time.Duration {
	t0 := time.Now()
	c.Events.Lock()
	if c.runID != id || c.Live == nil {
		c.Events.UnlockOnly()
		return 0
	}
	live := *c.Live
	live.WallMs = report.MsSince(start)
	span := max(c.Span(), live.WallMs)
	done, total := c.Done, c.Total
	progress := c.ProgressText()
	c.Events.UnlockOnly()
	c.Backend.DrawLive(live, c.liveTasks, span, progress, done, total)
	c.Backend.Post(protocol.Progress(done, total))
	return time.Since(t0)
}
