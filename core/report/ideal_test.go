package report_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

func TestMakespan(t *testing.T) {
	// Each worked out by hand: longest first, each to the least loaded lane.
	cases := []struct {
		costs []float64
		lanes int
		want  float64
	}{
		{nil, 1, 0},
		{nil, 4, 0},
		{[]float64{5}, 1, 5},
		{[]float64{5}, 0, 5},  // no lanes means one
		{[]float64{5}, -3, 5}, // likewise
		{[]float64{5}, 8, 5},  // more lanes than tasks
		{[]float64{1, 2, 3}, 1, 6},
		{[]float64{1, 2, 3}, 3, 3},
		{[]float64{3, 3, 2, 2, 2}, 2, 7}, // LPT: 3|3, 5|3, 5|5, 7|5 (the best is 6)
		{[]float64{2, 2, 2, 3, 3}, 2, 7}, // order of the input does not matter
		{[]float64{7, 1, 1, 1, 1, 1, 1, 1}, 2, 7},
		{[]float64{4, 4, 4, 4}, 3, 8},
		{[]float64{10, 0, 0}, 2, 10},
		{[]float64{1.5, 2.25, 0.25}, 2, 2.25},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v on %d", c.costs, c.lanes), func(t *testing.T) {
			in := append([]float64(nil), c.costs...)
			assert.Equal(t, c.want, report.Makespan(c.costs, c.lanes))
			assert.Equal(t, in, c.costs, "costs left as they were")
		})
	}
}

func task(id, lane int, start, end float64) report.Task {
	return report.Task{ID: id, Lane: lane, StartMs: start, EndMs: end, Value: "1"}
}

var native2 = report.Platform{Kind: "native", CPUs: 2, GOMAXPROCS: 2}

func TestCapacity(t *testing.T) {
	browser8 := report.Platform{Kind: "browser", CPUs: 8}
	native1 := report.Platform{Kind: "native", CPUs: 2, GOMAXPROCS: 1}
	cases := []struct {
		name string
		p    report.Platform
		run  report.Run
		want int
	}{
		{"sequential", native2, report.Run{Lanes: 1, Where: report.WhereLocal, Work: report.WorkCPU}, 1},
		{"8 goroutines on 2 cores", native2, report.Run{Lanes: 8, Where: report.WhereLocal, Work: report.WorkCPU}, 2},
		{"8 goroutines, GOMAXPROCS 1", native1, report.Run{Lanes: 8, Where: report.WhereLocal, Work: report.WorkCPU}, 1},
		{"8 goroutines in one wasm instance", browser8, report.Run{Lanes: 8, Where: report.WhereLocal, Work: report.WorkCPU}, 1},
		{"pool of 1", native2, report.Run{Lanes: 1, Where: report.WhereLocal, Work: report.WorkCPU}, 1},
		{"3 worker processes on 2 CPUs", native2, report.Run{Lanes: 3, Where: report.WhereRemote, Work: report.WorkCPU}, 2},
		{"3 worker processes, GOMAXPROCS 1", native1, report.Run{Lanes: 3, Where: report.WhereRemote, Work: report.WorkCPU}, 2},
		{"4 Web Workers, 8 hardware threads", browser8, report.Run{Lanes: 4, Where: report.WhereRemote, Work: report.WorkCPU}, 4},
		{"16 Web Workers, 8 hardware threads", browser8, report.Run{Lanes: 16, Where: report.WhereRemote, Work: report.WorkCPU}, 8},
		{"hybrid: 2 remote lanes", native2, report.Run{Lanes: 20, Where: report.WhereHybrid, Work: report.WorkCPU, RemoteLanes: 2}, 2},
		{"hybrid without remote lanes", native2, report.Run{Lanes: 20, Where: report.WhereHybrid, Work: report.WorkCPU}, 1},
		{"20 waits", native1, report.Run{Lanes: 20, Where: report.WhereLocal, Work: report.WorkWait}, 20},
		{"20 waits in a browser", browser8, report.Run{Lanes: 20, Where: report.WhereLocal, Work: report.WorkWait}, 20},
		{"20 downloads natively", native1, report.Run{Lanes: 20, Where: report.WhereLocal, Work: report.WorkFetch}, 20},
		{"20 downloads in a browser", browser8, report.Run{Lanes: 20, Where: report.WhereLocal, Work: report.WorkFetch}, 6},
		{"4 downloads in a browser", browser8, report.Run{Lanes: 4, Where: report.WhereLocal, Work: report.WorkFetch}, 4},
		{"download+hash, 20 in a browser", browser8, report.Run{Lanes: 20, Where: report.WhereHybrid, Work: report.WorkFetchCPU, RemoteLanes: 2}, 6},
		{"an old report: no where, no work", native2, report.Run{Lanes: 4}, 2},
		{"no workers", native2, report.Run{}, 1},
		{"no CPUs known", report.Platform{Kind: "native"}, report.Run{Lanes: 4, Where: report.WhereRemote}, 1},
		{"GOMAXPROCS unknown", report.Platform{Kind: "native", CPUs: 2}, report.Run{Lanes: 4}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, report.Capacity(c.p, c.run))
		})
	}
}

// cpu returns a run of CPU work of the strategy on lanes lanes.
func cpu(strategy, where string, lanes int, wall float64, tasks ...report.Task) report.Run {
	return report.Run{Strategy: strategy, Lanes: lanes, WallMs: wall, Where: where, Work: report.WorkCPU, Tasks: tasks}
}

func TestFinish(t *testing.T) {
	rep := report.Report{Platform: native2, Runs: []report.Run{
		cpu("sequential", report.WhereLocal, 1, 100,
			task(0, 0, 0, 40), task(1, 0, 40, 70), task(2, 0, 70, 90), task(3, 0, 90, 100)),
		cpu("workers", report.WhereRemote, 2, 80,
			// Task 0 was quicker here (35 < 40): the least of the runs counts.
			task(0, 0, 10, 45), task(2, 0, 45, 70), task(1, 1, 10, 50), task(3, 1, 50, 62)),
	}}
	rep.Finish()
	seq, workers := rep.Runs[0], rep.Runs[1]
	// Costs 35, 30, 20, 10: one lane needs 95; two need 95/2.
	assert.Equal(t, 1, seq.Capacity)
	assert.Equal(t, 95.0, seq.IdealMs)
	assert.Equal(t, 1.0, seq.Speedup)
	assert.Equal(t, 0.95, seq.Efficiency)
	assert.Equal(t, &report.Losses{ContentionMs: 5}, seq.Losses, "task 0 took 40 here, 35 elsewhere")

	assert.Equal(t, 2, workers.Capacity)
	assert.Equal(t, 47.5, workers.IdealMs)
	assert.Equal(t, 1.25, workers.Speedup) // 100 / 80
	assert.Equal(t, 0.594, workers.Efficiency)
	// Startup: both lanes idle for 10 ms. Imbalance: lane 1 done at 62
	// while lane 0 works to 70, 8 lane-ms over 2 lanes. Dispatch: nothing
	// runs from 70 to 80. Contention: busy 112 lane-ms for 95 of cost.
	assert.Equal(t, &report.Losses{StartupMs: 10, DispatchMs: 10, ImbalanceMs: 4, ContentionMs: 8.5}, workers.Losses)
}

func TestFinishIdealIsABound(t *testing.T) {
	cases := []struct {
		name      string
		p         report.Platform
		runs      []report.Run
		ideal     []float64
		losses    []report.Losses
		efficient []float64
	}{{
		// Longest-first would say 7; the best schedule, run here, takes 6.
		name: "3,3,2,2,2 on 2 lanes",
		p:    native2,
		runs: []report.Run{cpu("pool", report.WhereLocal, 2, 6,
			task(0, 0, 0, 3), task(1, 0, 3, 6), task(2, 1, 0, 2), task(3, 1, 2, 4), task(4, 1, 4, 6))},
		ideal:     []float64{6},
		losses:    []report.Losses{{}},
		efficient: []float64{1},
	}, {
		// 8 goroutines on 2 cores share them: each gets a quarter of a
		// core, and together they keep both busy.
		name: "8 goroutines on 2 cores",
		p:    native2,
		runs: []report.Run{cpu("goroutines", report.WhereLocal, 8, 40,
			task(0, 0, 0, 40), task(1, 1, 0, 40), task(2, 2, 0, 40), task(3, 3, 0, 40),
			task(4, 4, 0, 40), task(5, 5, 0, 40), task(6, 6, 0, 40), task(7, 7, 0, 40))},
		ideal:     []float64{40},
		losses:    []report.Losses{{}},
		efficient: []float64{1},
	}, {
		// Next to a sequential run where each cost 9: 72 ms of work on 2
		// cores is 36; the rest is contention.
		name: "8 goroutines on 2 cores, and sequential",
		p:    native2,
		runs: []report.Run{
			cpu("sequential", report.WhereLocal, 1, 72,
				task(0, 0, 0, 9), task(1, 0, 9, 18), task(2, 0, 18, 27), task(3, 0, 27, 36),
				task(4, 0, 36, 45), task(5, 0, 45, 54), task(6, 0, 54, 63), task(7, 0, 63, 72)),
			cpu("goroutines", report.WhereLocal, 8, 40,
				task(0, 0, 0, 40), task(1, 1, 0, 40), task(2, 2, 0, 40), task(3, 3, 0, 40),
				task(4, 4, 0, 40), task(5, 5, 0, 40), task(6, 6, 0, 40), task(7, 7, 0, 40))},
		ideal:     []float64{72, 36},
		losses:    []report.Losses{{}, {ContentionMs: 4}},
		efficient: []float64{1, 0.9},
	}, {
		// One thread: the goroutines take turns, so the best is the sum.
		name: "8 goroutines in one wasm instance",
		p:    report.Platform{Kind: "browser", CPUs: 8},
		runs: []report.Run{
			cpu("sequential", report.WhereLocal, 1, 80,
				task(0, 0, 0, 10), task(1, 0, 10, 20), task(2, 0, 20, 30), task(3, 0, 30, 40),
				task(4, 0, 40, 50), task(5, 0, 50, 60), task(6, 0, 60, 70), task(7, 0, 70, 80)),
			cpu("goroutines", report.WhereLocal, 8, 80,
				task(0, 0, 0, 80), task(1, 1, 0, 80), task(2, 2, 0, 80), task(3, 3, 0, 80),
				task(4, 4, 0, 80), task(5, 5, 0, 80), task(6, 6, 0, 80), task(7, 7, 0, 80))},
		ideal:     []float64{80, 80},
		losses:    []report.Losses{{}, {}},
		efficient: []float64{1, 1},
	}, {
		// Unfair turns in one thread: task 1 finished first, so its share
		// (5) undercounts it. A run where it had the lane to itself is the
		// better evidence, and the sequential run shows no contention.
		name: "a cost alone beats a share",
		p:    report.Platform{Kind: "browser", CPUs: 2},
		runs: []report.Run{
			cpu("sequential", report.WhereLocal, 1, 20, task(0, 0, 0, 10), task(1, 0, 10, 20)),
			cpu("goroutines", report.WhereLocal, 2, 20, task(0, 0, 0, 20), task(1, 1, 0, 10))},
		ideal:     []float64{20, 20},
		losses:    []report.Losses{{}, {}},
		efficient: []float64{1, 1},
	}, {
		// The longest task is the bound; lane 1's idle time after its short
		// task is no loss, no schedule could avoid it.
		name: "one long task",
		p:    native2,
		runs: []report.Run{cpu("pool", report.WhereLocal, 2, 100,
			task(0, 0, 0, 100), task(1, 1, 0, 10))},
		ideal:     []float64{100},
		losses:    []report.Losses{{}},
		efficient: []float64{1},
	}, {
		// Partition: lane 0 finishes its light tasks at 30, lane 1 works on
		// to 100. 130 ms of work on 2 lanes is 65; 35 is imbalance.
		name: "partition left a lane idle",
		p:    native2,
		runs: []report.Run{cpu("partition", report.WhereRemote, 2, 100,
			task(0, 0, 0, 10), task(2, 0, 10, 30), task(1, 1, 0, 60), task(3, 1, 60, 100))},
		ideal:     []float64{65},
		losses:    []report.Losses{{ImbalanceMs: 35}},
		efficient: []float64{0.65},
	}, {
		// A gap on a lane between tasks is dispatch; the time after the
		// last task is dispatch too (results returned and delivered).
		name: "gaps between tasks",
		p:    native2,
		runs: []report.Run{cpu("sequential", report.WhereLocal, 1, 25,
			task(0, 0, 0, 10), task(1, 0, 15, 20))},
		ideal:     []float64{15},
		losses:    []report.Losses{{DispatchMs: 10}},
		efficient: []float64{0.6},
	}, {
		// Downloads of a known 100 ms latency that took 100 ms: at most 6
		// at a time in a browser, all at once natively.
		name: "12 downloads in a browser",
		p:    report.Platform{Kind: "browser", CPUs: 2},
		runs: []report.Run{{Strategy: "goroutines", Lanes: 12, WallMs: 200, Where: report.WhereLocal, Work: report.WorkFetch,
			Tasks: downloads(12, 6, 100)}},
		ideal:     []float64{200},
		losses:    []report.Losses{{}},
		efficient: []float64{1},
	}, {
		// A latency is a floor on the cost, below the share of a run.
		name: "a known latency is a floor",
		p:    native2,
		runs: []report.Run{
			{Strategy: "pool", Lanes: 2, WallMs: 30, Where: report.WhereLocal, Work: report.WorkWait, Tasks: []report.Task{
				{ID: 0, Lane: 0, StartMs: 0, EndMs: 21, LatencyMs: 20, Value: "1"},
				{ID: 1, Lane: 1, StartMs: 0, EndMs: 25, LatencyMs: 20, Value: "1"}}},
			{Strategy: "sequential", Lanes: 1, WallMs: 60, Where: report.WhereLocal, Work: report.WorkWait, Tasks: []report.Task{
				{ID: 0, Lane: 0, StartMs: 0, EndMs: 19, LatencyMs: 20, Value: "1"}, // quicker than its latency: not believed
				{ID: 1, Lane: 0, StartMs: 19, EndMs: 41, LatencyMs: 20, Value: "1"}}}},
		// Costs: task 0 max(19, 20) = 20, capped at 19 in the run where it
		// took 19; task 1 min(25, 22) = 22. The pool: Σ 42 on 2 lanes is 21,
		// the longest 22; lane 0 idle 21–25 (imbalance 2, less the 1 by which
		// the longest task beats 21), nothing runs 25–30 (dispatch 5), busy
		// 46 lane-ms for 42 of cost (contention 2).
		ideal:     []float64{22, 41},
		losses:    []report.Losses{{ImbalanceMs: 1, DispatchMs: 5, ContentionMs: 2}, {DispatchMs: 19}},
		efficient: []float64{0.733, 0.683},
	}, {
		// A cut task counts with the work it did in its own run; one that
		// never started counts nothing.
		name: "cut and unstarted tasks",
		p:    native2,
		runs: []report.Run{cpu("pool", report.WhereLocal, 2, 50,
			task(0, 0, 0, 20),
			report.Task{ID: 1, Lane: 1, StartMs: 0, EndMs: 50, Error: "context deadline exceeded"},
			report.Task{ID: 2, Lane: -1, StartMs: 50, EndMs: 50, Error: "not started: context deadline exceeded"})},
		ideal:     []float64{50},
		losses:    []report.Losses{{}},
		efficient: []float64{1},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := report.Report{Platform: c.p, Runs: c.runs}
			rep.Finish()
			for i, run := range rep.Runs {
				assert.Equal(t, c.ideal[i], run.IdealMs, "%s: ideal", run.Strategy)
				require.NotNil(t, run.Losses)
				assert.Equal(t, c.losses[i], *run.Losses, "%s: losses", run.Strategy)
				assert.Equal(t, c.efficient[i], run.Efficiency, "%s: efficiency", run.Strategy)
			}
		})
	}
}

// downloads returns n downloads of lat ms, at most at a time on their own
// lanes, one round after another.
func downloads(n, at int, lat float64) []report.Task {
	var ts []report.Task
	for i := range n {
		round := float64(i / at)
		ts = append(ts, report.Task{ID: i, Lane: i, StartMs: 0, EndMs: (round + 1) * lat, LatencyMs: lat, Value: "1"})
	}
	return ts
}

func TestFinishSpeedup(t *testing.T) {
	seq := cpu("sequential", report.WhereLocal, 1, 100, task(0, 0, 0, 50), task(1, 0, 50, 100))
	pool := cpu("pool", report.WhereLocal, 2, 50, task(0, 0, 0, 50), task(1, 1, 0, 50))
	cut := pool
	cut.Partial = true
	seqCut := seq
	seqCut.Partial = true
	cases := []struct {
		name string
		runs []report.Run
		want float64
	}{
		{"both whole", []report.Run{seq, pool}, 2},
		{"run partial", []report.Run{seq, cut}, 0},
		{"sequential partial", []report.Run{seqCut, pool}, 0},
		{"both partial", []report.Run{seqCut, cut}, 0},
		{"no sequential", []report.Run{pool}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := report.Report{Platform: native2, Runs: c.runs}
			rep.Finish()
			assert.Equal(t, c.want, rep.Runs[len(rep.Runs)-1].Speedup)
		})
	}
}

func TestFinishAgainGivesTheSame(t *testing.T) {
	rep := report.Report{Platform: native2, Runs: []report.Run{
		cpu("sequential", report.WhereLocal, 1, 100, task(0, 0, 0, 60), task(1, 0, 60, 100)),
		cpu("pool", report.WhereLocal, 2, 70, task(0, 0, 5, 62), task(1, 1, 5, 50)),
	}}
	rep.Finish()
	again := rep
	again.Runs = append([]report.Run(nil), rep.Runs...)
	again.Finish()
	assert.Equal(t, rep.Runs, again.Runs)
}

// TestFinishNeverBeatsTheWall is a property test: for any task records at
// all — overlapping, out of order, outside the run, failed, on any lanes,
// of any kind, on any platform — the ideal is at most the wall time, the
// efficiency at most 1, every loss at least 0, and ideal plus losses is
// the wall time.
func TestFinishNeverBeatsTheWall(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 3000 {
		rep := report.Report{Platform: randomPlatform(rng)}
		for range 1 + rng.IntN(4) {
			rep.Runs = append(rep.Runs, randomRun(rng))
		}
		rep.Finish()
		for _, run := range rep.Runs {
			l := run.Losses
			require.NotNil(t, l)
			ctx := fmt.Sprintf("case %d, %+v", i, run)
			_, err := json.Marshal([]any{run.IdealMs, run.Speedup, run.Efficiency, run.Losses, run.Verdict})
			require.NoError(t, err, "no NaN or Inf computed: %s", ctx)
			require.GreaterOrEqual(t, run.IdealMs, 0.0, ctx)
			if !math.IsNaN(run.WallMs) {
				require.LessOrEqual(t, run.IdealMs, math.Max(run.WallMs, 0), ctx)
			}
			require.LessOrEqual(t, run.Efficiency, 1.0, ctx)
			for _, part := range []float64{l.StartupMs, l.DispatchMs, l.ImbalanceMs, l.ContentionMs} {
				require.GreaterOrEqual(t, part, 0.0, ctx)
			}
			if run.WallMs > 0 && !math.IsInf(run.WallMs, 1) {
				require.InDelta(t, run.WallMs, run.IdealMs+l.StartupMs+l.DispatchMs+l.ImbalanceMs+l.ContentionMs, 1e-9, ctx)
			}
		}
	}
}

// randomPlatform is any platform, of up to 4 CPUs.
func randomPlatform(rng *rand.Rand) report.Platform {
	return report.Platform{Kind: []string{"native", "browser"}[rng.IntN(2)], CPUs: rng.IntN(5), GOMAXPROCS: rng.IntN(5)}
}

// randomRun is any run of up to 11 tasks: overlapping, out of order,
// outside the run, failed, on any lanes, of any kind.
func randomRun(rng *rand.Rand) report.Run {
	kinds := []string{"", report.WorkCPU, report.WorkFetch, report.WorkWait, report.WorkFetchCPU}
	wheres := []string{"", report.WhereLocal, report.WhereRemote, report.WhereHybrid}
	run := report.Run{
		Strategy: []string{"sequential", "pool", "goroutines", "workers"}[rng.IntN(4)],
		Lanes:    rng.IntN(10) - 1, WallMs: odd(rng, math.Round(rng.Float64()*1000)/8),
		Where: wheres[rng.IntN(len(wheres))], Work: kinds[rng.IntN(len(kinds))],
		RemoteLanes: rng.IntN(4), Partial: rng.IntN(5) == 0,
	}
	for id := range rng.IntN(12) {
		tk := report.Task{ID: id, Lane: rng.IntN(5) - 1, Value: "1",
			StartMs: odd(rng, rng.Float64()*300-50), EndMs: odd(rng, rng.Float64()*300-50)}
		if rng.IntN(4) == 0 {
			tk.LatencyMs = rng.Float64() * 200
		}
		if rng.IntN(6) == 0 {
			tk.Error = "cut"
		}
		run.Tasks = append(run.Tasks, tk)
	}
	return run
}

// TestAccountantAsFinish: an Accountant, which keeps each run's sweep from
// one call to the next, finishes a report as it grows — the page's way,
// its runs folded again after each one — exactly as Finish of a fresh copy
// does. Between calls a run may come back with the same tasks and another
// wall time, or with other tasks and the same wall time, and the platform
// may change: none of these may reuse a sweep.
func TestAccountantAsFinish(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	type figures struct {
		Capacity              int
		IdealMs, Speedup, Eff float64
		Losses                report.Losses
		Verdict               string
	}
	figuresOf := func(runs []report.Run) []figures {
		var f []figures
		for _, r := range runs {
			f = append(f, figures{r.Capacity, r.IdealMs, r.Speedup, r.Efficiency, *r.Losses, r.Verdict})
		}
		return f
	}
	for i := range 1000 {
		var acct report.Accountant
		p := randomPlatform(rng)
		var runs []report.Run
		for step := range 6 {
			switch {
			case step > 0 && rng.IntN(4) == 0: // the last run again, timed otherwise
				runs[len(runs)-1].WallMs = odd(rng, rng.Float64()*300)
			case step > 0 && rng.IntN(4) == 0: // the last run's tasks, in a new slice, timed otherwise
				last := &runs[len(runs)-1]
				last.Tasks = slices.Clone(last.Tasks)
				for j := range last.Tasks {
					last.Tasks[j].EndMs += rng.Float64() * 50
				}
			case step > 0 && rng.IntN(6) == 0:
				p = randomPlatform(rng)
			default:
				runs = append(runs, randomRun(rng))
			}
			rep := report.Report{Platform: p, Runs: report.Fold(runs)}
			acct.Finish(&rep)
			fresh := report.Report{Platform: p, Runs: report.Fold(runs)}
			for j := range fresh.Runs {
				fresh.Runs[j].Tasks = slices.Clone(fresh.Runs[j].Tasks)
			}
			fresh.Finish()
			require.Equal(t, figuresOf(fresh.Runs), figuresOf(rep.Runs), "case %d, step %d", i, step)
		}
	}
}

// odd returns x, or one time in twenty NaN, +Inf or -Inf instead.
func odd(rng *rand.Rand, x float64) float64 {
	switch rng.IntN(60) {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	}
	return x
}

// bigReport is a report of runs of n tasks, each on a lane of its own, and
// on 2 lanes.
func bigReport(n int) report.Report {
	rng := rand.New(rand.NewPCG(1, 2))
	spread := cpu("goroutines", report.WhereLocal, n, 1000)
	two := cpu("pool", report.WhereLocal, 2, 1000)
	for i := range n {
		s := rng.Float64() * 900
		spread.Tasks = append(spread.Tasks, task(i, i, s, s+rng.Float64()*100))
		two.Tasks = append(two.Tasks, task(i, i%2, float64(i)/10, float64(i+1)/10))
	}
	return report.Report{Platform: report.Platform{Kind: "native", CPUs: 64, GOMAXPROCS: 64}, Runs: []report.Run{spread, two}}
}

func BenchmarkFinish(b *testing.B) {
	rep := bigReport(10_000)
	for b.Loop() {
		rep.Finish()
	}
}

// BenchmarkFinishAgain is the page's Finish after its second strategy of
// 10,000 tasks: the first one's sweep kept from the Finish before.
func BenchmarkFinishAgain(b *testing.B) {
	rep := bigReport(10_000)
	first := rep
	first.Runs = rep.Runs[:1]
	for b.Loop() {
		var acct report.Accountant
		b.StopTimer()
		acct.Finish(&first)
		b.StartTimer()
		acct.Finish(&rep)
	}
}

func BenchmarkMakespan(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	costs := make([]float64, 10_000)
	for i := range costs {
		costs[i] = rng.Float64()
	}
	for b.Loop() {
		report.Makespan(costs, 10_000)
	}
}
