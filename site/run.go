package site

import (
	"context"
	"math/big"
	"slices"
	"time"

	"lanes/core/demo"
	"lanes/core/report"
)

// redrawEvery throttles redraws while a run streams its tasks: 10 a second.
// Each redraw costs the page's main thread a render (and its garbage); on
// a 2-core machine that CPU comes from the workers. Measured on cpu-sumsq
// 1e9 with 2 workers, 8 runs of each pacing interleaved in one browser,
// medians of the speedup over sequential: 1.71× at 20 a second and a
// tenth of the main thread, 1.82× at 10 a second and a twentieth, 1.99×
// with no live redraws. Hiding the timelines or the progress bar changed
// nothing: the cost is the render itself, not the browser's painting.
const redrawEvery = 100 * time.Millisecond

// redrawShare keeps live redraws to about a twentieth of the page's main
// thread: after a render that took d, the next waits at least
// redrawShare·d. A heavy page (many tasks, many runs) redraws less often
// rather than slowing the run it shows.
const redrawShare = 20

// redrawWait is how long to wait before the next live redraw.
func (c *Root) redrawWait() time.Duration {
	return max(redrawEvery, redrawShare*time.Duration(c.renderCost.Load()))
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
	stopDrawing := make(chan struct{})
	defer close(stopDrawing)
	go func() {
		redraw := time.NewTimer(c.redrawWait())
		defer redraw.Stop()
		for {
			select {
			case <-redraw.C:
				redraw.Reset(c.redrawWait())
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
