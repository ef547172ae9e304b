package demo_test

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/internal/exact"
	"lanes/core/report"
)

// TestConnectionsExact runs the connections demo at a reduced size — 300
// waits of 5 ms — with every strategy it has, natively and in one wasm
// instance: each task answers k² and each run Σ k² (the closed form), and
// each run takes at least its rounds of latency: one for goroutines,
// ⌈300/7⌉ = 43 for the pool and the semaphore of 7, whose waits take
// turns. That goroutines finish in a fraction of their time follows from
// how many waited at once, which the timelines show whatever the machine:
// at most 7 for the pool and the semaphore, and for goroutines more than
// 7, which only a goroutine that took 700 µs to start (on a machine a
// hundred times slower) could undo. Their walls are not compared: one
// round of 5 ms is 10 ms or more of starting 300 goroutines, which a busy
// machine stretches past a quarter of the pool's 215 ms.
// 300 goroutines are too few for a cost per goroutine.
func TestConnectionsExact(t *testing.T) {
	env := newEnv(t)
	rep := runAll(t, env, parse(t, "demo", "connections", "tasks", "300", "workers", "7", "latency", "5ms"))
	want := exact.SumSquaresBelow(300).String()
	for _, r := range rep.Runs {
		t.Run(r.Strategy, func(t *testing.T) {
			require.Empty(t, r.Error)
			require.False(t, r.Partial)
			assert.Equal(t, want, r.Result)
			assert.Equal(t, want, sumValues(t, r))
			require.Len(t, r.Tasks, 300)
			for _, task := range r.Tasks {
				require.Equal(t, strconv.Itoa(task.ID*task.ID), task.Value, "task %d", task.ID)
				require.InDelta(t, 5, task.LatencyMs, 1e-9)
			}
			assert.Equal(t, report.WorkWait, r.Work)
			rounds := 43
			if r.Strategy == "goroutines" {
				rounds = 1
			}
			assert.GreaterOrEqual(t, r.WallMs, float64(rounds*5), "a wait never ends early")
			if r.Memory != nil {
				assert.Zero(t, r.Memory.Goroutines, "too few goroutines to measure")
				assert.Zero(t, r.Memory.GoroutineStackBytes)
			}
			most := mostAtOnce(r)
			t.Logf("%.1f ms, %d waits at once", r.WallMs, most)
			if r.Strategy == "goroutines" {
				assert.Greater(t, most, 7, "the waits overlapped beyond a pool's lanes")
			} else {
				assert.LessOrEqual(t, most, 7, "7 lanes or permits")
			}
		})
	}
}

// mostAtOnce is the most of the run's tasks under way at one moment, from
// their starts and ends.
func mostAtOnce(run report.Run) int {
	type edge struct {
		ms float64
		d  int
	}
	var edges []edge
	for _, t := range run.Tasks {
		edges = append(edges, edge{t.StartMs, 1}, edge{t.EndMs, -1})
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.ms, b.ms); c != 0 {
			return c
		}
		return a.d - b.d // an end before a start at the same moment
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.d
		most = max(most, n)
	}
	return most
}

// TestConnectionsAtDefaults runs the lesson's ten thousand waits with a
// goroutine each, as the demo's defaults have them: the answer is exact,
// every task is delivered once, and the memory each lane cost is within
// sane bounds — at least a thousand goroutines alive at once, each
// parked goroutine's stack between 1 and 64 KiB (it
// starts at 2 KiB and grows by doubling), and natively on Linux an OS
// thread, measured by the probe, more than a parked goroutine and less
// than a MiB.
func TestConnectionsAtDefaults(t *testing.T) {
	env := newEnv(t)
	seen := watch(&env)
	cfg := parse(t, "demo", "connections", "strategy", "goroutines")
	require.Equal(t, 10_000, cfg.Tasks)
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	require.Len(t, rep.Runs, 1)
	r := rep.Runs[0]
	require.Empty(t, r.Error)
	require.False(t, r.Partial)
	assert.Equal(t, "333283335000", r.Result)
	assert.Equal(t, exact.SumSquaresBelow(10_000).String(), r.Result)
	require.Len(t, r.Tasks, 10_000)
	assert.Len(t, seen.of("goroutines"), 10_000, "every task delivered once")
	t.Logf("%.1f ms: %s", r.WallMs, r.Verdict)

	m := r.Memory
	require.NotNil(t, m, "the run's memory")
	t.Logf("memory: %+v — %s", *m, m.Summary())
	// Most of them at once: every one natively, but a cold wasm instance on
	// a busy machine has started them over longer than the latency.
	assert.GreaterOrEqual(t, m.Goroutines, report.MinGoroutines)
	assert.Less(t, m.Goroutines, 10_100)
	assert.GreaterOrEqual(t, m.GoroutineStackBytes, float64(1<<10))
	assert.LessOrEqual(t, m.GoroutineStackBytes, float64(64<<10))
	if runtime.GOOS != "linux" {
		assert.Zero(t, m.Threads, "threads are measured on Linux only")
		return
	}
	assert.GreaterOrEqual(t, m.Threads, 50, "the probe's 100 threads, counted")
	assert.Greater(t, m.ThreadBytes(), m.GoroutineStackBytes, "an OS thread costs more than a parked goroutine")
	assert.Less(t, m.ThreadBytes(), float64(1<<20))
}
