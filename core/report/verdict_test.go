package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestExpectedSpeedup(t *testing.T) {
	cases := []struct {
		n, lanes, capacity int
		want               float64
	}{
		{8, 2, 2, 2},       // 2 workers on 2 cores
		{8, 8, 2, 2},       // 8 goroutines share 2 cores
		{8, 8, 1, 1},       // 8 goroutines in one wasm instance
		{8, 3, 3, 8.0 / 3}, // 3 rounds on 3 lanes
		{3, 8, 2, 2},       // 3 goroutines on 2 cores: turns make it 2×
		{1, 4, 2, 1},
		{0, 2, 2, 1},
	}
	for _, c := range cases {
		run := report.Run{Lanes: c.lanes, Capacity: c.capacity, Tasks: make([]report.Task, c.n)}
		assert.InDelta(t, c.want, run.ExpectedSpeedup(), 1e-9, "%d tasks on %d lanes, capacity %d", c.n, c.lanes, c.capacity)
	}
}

// lanes returns a run of the strategy whose lane l runs the tasks given
// as back-to-back costs in spans[l], from time 0.
func lanes(strategy, where string, spans ...[]float64) report.Run {
	run := report.Run{Strategy: strategy, Lanes: len(spans), Where: where, Work: report.WorkCPU}
	id := 0
	for l, costs := range spans {
		at := 0.0
		for _, c := range costs {
			run.Tasks = append(run.Tasks, task(id, l, at, at+c))
			at += c
			id++
		}
		run.WallMs = max(run.WallMs, at)
	}
	return run
}

func TestVerdict(t *testing.T) {
	browser := report.Platform{Kind: "browser", CPUs: 2}
	seq := lanes("sequential", report.WhereLocal, []float64{10, 10, 10, 10})
	together := func(strategy string, n int, wall float64) report.Run {
		run := report.Run{Strategy: strategy, Lanes: n, WallMs: wall, Where: report.WhereLocal, Work: report.WorkCPU}
		for k := range n {
			run.Tasks = append(run.Tasks, task(k, k, 0, wall))
		}
		return run
	}
	gapped := lanes("pool", report.WhereLocal, []float64{10, 10}, []float64{10, 10})
	for k := range gapped.Tasks {
		if k%2 == 1 { // a 5 ms gap before each lane's second task
			gapped.Tasks[k].StartMs, gapped.Tasks[k].EndMs = 15, 25
		}
	}
	gapped.WallMs = 25
	spread := lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10})
	spread.WallsMs, spread.Spread = []float64{20, 10, 30}, &report.Spread{MinMs: 10, MaxMs: 30}
	repeated := lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10})
	repeated.WallsMs, repeated.Spread = []float64{10, 10, 10}, &report.Spread{MinMs: 10, MaxMs: 10}
	partial := lanes("pool", report.WhereLocal, []float64{10}, []float64{10})
	partial.Partial, partial.Tasks[1].Error = true, "context deadline exceeded"
	fetches := func(strategy string, spans ...[]float64) report.Run {
		run := lanes(strategy, report.WhereLocal, spans...)
		run.Work = report.WorkFetch
		return run
	}
	cases := []struct {
		name string
		p    report.Platform
		runs []report.Run
		want string // the verdict on the last run
	}{
		{"the baseline", native2, []report.Run{seq}, "sequential: one task at a time — the baseline"},
		{"2 workers on 2 cores", native2,
			[]report.Run{seq, lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10})},
			"2 workers: 2.00× — close to the 2 cores this machine has"},
		{"goroutines in one wasm instance", browser, []report.Run{seq, together("goroutines", 4, 40)},
			"4 goroutines in one thread: 1.00× — they take turns, no faster than sequential"},
		{"a lane left idle", native2, []report.Run{lanes("partition", report.WhereRemote, []float64{50, 50}, []float64{10, 10})},
			"partition of 2 left lane 1 idle for 80% of the run: the work was not shared out evenly"},
		{"short of the lanes, and why", native2, []report.Run{seq, gapped},
			"pool of 2: 1.60× of a possible 2.00× — the most went to handing out tasks and results (20% of the run)"},
		{"tasks slower than alone", native2, []report.Run{seq, together("goroutines", 4, 40)},
			"4 goroutines: warning — tasks ran slower than alone for 50% of the run: something else was using the CPUs; run again on a quieter machine, or with more runs"},
		{"faster than the lanes allow", native2, []report.Run{lanes("sequential", report.WhereLocal, []float64{13.5, 13.5, 13.5, 13.5}),
			lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10})},
			"2 workers: warning — 2.70× beats the limit of the 2 cores this machine has: the sequential run was slowed by something else, a busy machine or code still compiling; run again with more runs, which interleave the strategies, or on a quieter machine"},
		{"faster than the lanes allow, over repeats", native2, []report.Run{lanes("sequential", report.WhereLocal, []float64{13.5, 13.5, 13.5, 13.5}), repeated},
			"2 workers: warning — 2.70× beats the limit of the 2 cores this machine has: the sequential run was slowed by something else, a busy machine or code still compiling; run again on a quieter machine"},
		{"downloads that queue to compute are not disturbed", native2,
			[]report.Run{hashing(fetches("sequential", []float64{10, 10, 10, 10})), hashing(fetches("hybrid", []float64{40}, []float64{40}, []float64{40}, []float64{40}))},
			"hybrid: 1.00× of a possible 4.00× — the most went to tasks running slower than alone (75% of the run)"},
		{"repeats too far apart", native2, []report.Run{seq, spread},
			"2 workers: warning — repeats ranged from 10.0 ms to 30.0 ms (100% of the median): too wide to trust; run again on a quieter machine"},
		{"cut short", native2, []report.Run{seq, partial},
			"pool of 2: cut after 1 of 2 tasks — the result is partial, and no speedup is claimed"},
		{"downloads overlap", native2,
			[]report.Run{fetches("sequential", []float64{100, 100, 100, 100}), fetches("goroutines", []float64{100}, []float64{100}, []float64{100}, []float64{100})},
			"4 goroutines: 4.00× — up to 4 waits overlap"},
		{"downloads short of overlapping", native2,
			[]report.Run{fetches("sequential", []float64{100, 100, 100, 100}), slowHandOver(fetches("goroutines", []float64{100}, []float64{100}, []float64{100}, []float64{100}))},
			"4 goroutines: 2.00× of a possible 4.00× — the most went to handing out tasks and results (50% of the run)"},
		{"sequential downloads", native2, []report.Run{fetches("sequential", []float64{100, 100})},
			"sequential: one task at a time, every wait in turn — the baseline"},
		{"goroutines in one thread beating sequential", browser,
			[]report.Run{lanes("sequential", report.WhereLocal, []float64{16, 16, 16, 16}), together("goroutines", 4, 40)},
			"4 goroutines: warning — 1.60× beats the limit of the one thread they share: the sequential run was slowed by something else, a busy machine or code still compiling; run again with more runs, which interleave the strategies, or on a quieter machine"},
		{"a user's tasks that wait", native2,
			[]report.Run{userTask(lanes("sequential", report.WhereLocal, []float64{100, 100, 100, 100})), userTask(together("goroutines", 4, 100))},
			"4 goroutines: 4.00× — more than the 2 cores this machine has allow for computing: either these tasks wait (timers, sleeps) and the waits overlap, or the sequential run was slowed, by code still compiling or a busy machine; more runs tell which"},
		{"a user's tasks that compute", native2,
			[]report.Run{userTask(seq), userTask(lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10}))},
			"2 workers: 2.00× — close to the 2 cores this machine has"},
		{"lost updates", native2, []report.Run{{Strategy: "unsafe", Lanes: 4, WallMs: 3, Result: "300", Expected: "400"}},
			"unsafe: updates lost — 300 counted of 400"},
		{"no lost updates", native2, []report.Run{{Strategy: "mutex", Lanes: 4, WallMs: 3, Result: "400", Expected: "400"}},
			"mutex: every update kept"},
		{"in submission order", native2, []report.Run{delivered("ordered", 3, []float64{40, 10, 30}, []float64{40, 40, 40})},
			"ordered: first result at 40.0 ms; finished results waited 13.3 ms on average for those before them"},
		{"as completed", native2, []report.Run{delivered("as-completed", 3, []float64{40, 10, 30}, []float64{40, 10, 30})},
			"as-completed: first result at 10.0 ms; each handed over as it finished"},
		{"failed", native2, []report.Run{{Strategy: "workers", Lanes: 2, WallMs: 3, Error: "1 of 2 tasks failed"}},
			"2 workers: failed — its figures say nothing"},
		{"waits in one round", native2, []report.Run{waits("goroutines", 4, 4, 200, 230)},
			"4 goroutines: 1 round of 200.0 ms waits took 230.0 ms — 4 waits at once"},
		{"waits in rounds", native2, []report.Run{waits("pool", 4, 2, 200, 410)},
			"pool of 2: 2 rounds of 200.0 ms waits took 410.0 ms — 2 waits at once"},
		{"one worker", native2, []report.Run{seq, lanes("workers", report.WhereRemote, []float64{10, 10, 10, 10})},
			"1 worker: 1.00× — close to the one lane it has"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := report.Report{Platform: c.p, Runs: c.runs}
			rep.Finish()
			assert.Equal(t, c.want, rep.Runs[len(rep.Runs)-1].Verdict)
		})
	}
}

// TestImpossibleSpeedupIsWithheld: a speedup over what the lanes allow for
// computing is shown as "—" (0), never as a figure, while one the lanes
// allow, and the waits' overlap, stand.
func TestImpossibleSpeedupIsWithheld(t *testing.T) {
	native2 := report.Platform{Kind: "native", CPUs: 2, GOMAXPROCS: 2}
	slowSeq := lanes("sequential", report.WhereLocal, []float64{13.5, 13.5, 13.5, 13.5})
	two := lanes("workers", report.WhereRemote, []float64{10, 10}, []float64{10, 10})
	rep := report.Report{Platform: native2, Runs: []report.Run{slowSeq, two}}
	rep.Finish()
	assert.Zero(t, rep.Runs[1].Speedup, "2.70× on 2 cores")

	rep = report.Report{Platform: native2, Runs: []report.Run{lanes("sequential", report.WhereLocal, []float64{10, 10, 10, 10}), two}}
	rep.Finish()
	assert.InDelta(t, 2.0, rep.Runs[1].Speedup, 1e-9, "2.00× on 2 cores")

	rep = report.Report{Platform: native2, Runs: []report.Run{lanes("sequential", report.WhereLocal, []float64{10.1, 10.1, 10.1, 10.1}), two}}
	rep.Finish()
	assert.Zero(t, rep.Runs[1].Speedup, "2.02× on 2 cores: above the cores by any margin")
	assert.Contains(t, rep.Runs[1].Verdict, "2.02× beats the limit of the 2 cores")

	fetches := func(strategy string, spans ...[]float64) report.Run {
		run := lanes(strategy, report.WhereLocal, spans...)
		run.Work = report.WorkFetch
		return run
	}
	rep = report.Report{Platform: native2, Runs: []report.Run{fetches("sequential", []float64{100, 100, 100, 100}),
		fetches("goroutines", []float64{100}, []float64{100}, []float64{100}, []float64{100})}}
	rep.Finish()
	assert.InDelta(t, 4.0, rep.Runs[1].Speedup, 1e-9, "4 waits overlap on 2 cores")
}

// delivered returns a run of waits on lanes lanes, one task per lane from
// time 0, ending at ends and delivered at deliveries.
func delivered(strategy string, lanes int, ends, deliveries []float64) report.Run {
	run := report.Run{Strategy: strategy, Lanes: lanes, Where: report.WhereLocal, Work: report.WorkWait}
	for k, e := range ends {
		run.Tasks = append(run.Tasks, report.Task{ID: k, Lane: k, EndMs: e, DeliveredMs: deliveries[k], Value: "1"})
		run.WallMs = max(run.WallMs, deliveries[k])
	}
	return run
}

// slowHandOver makes run end 100 ms after its last task.
func slowHandOver(run report.Run) report.Run {
	run.WallMs += 100
	return run
}

// hashing makes run's work downloads followed by computing.
func hashing(run report.Run) report.Run {
	run.Work = report.WorkFetchCPU
	return run
}

// waits returns a run of n waits of lat ms each on lanes lanes, in rounds,
// ending at wall.
func waits(strategy string, n, lanes int, lat, wall float64) report.Run {
	run := report.Run{Strategy: strategy, Lanes: lanes, WallMs: wall, Where: report.WhereLocal, Work: report.WorkWait}
	for k := range n {
		start := float64(k/lanes) * lat
		run.Tasks = append(run.Tasks, report.Task{ID: k, Lane: k % lanes, StartMs: start, EndMs: start + lat,
			DeliveredMs: start + lat, LatencyMs: lat, Value: "1"})
	}
	return run
}

// userTask is run as a run of a user's own tasks (the demo task).
func userTask(run report.Run) report.Run {
	run.Work = report.WorkTask
	return run
}
