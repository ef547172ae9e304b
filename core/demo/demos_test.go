package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"lanes/core/internal/exact"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// awkward are the splits every CPU demo must get exactly right.
var awkward = []struct{ size, tasks uint64 }{
	{0, 1}, {0, 5}, {1, 1}, {1, 4}, {2, 1}, {2, 3}, {3, 2}, {3, 7}, {4, 3},
	{97, 1}, {97, 100}, {98, 7}, {127, 2}, {128, 8}, {128, 3}, {129, 4},
	{65536, 9}, {65537, 7}, {10007, 10000},
}

func TestCPUDemosExact(t *testing.T) {
	env := newEnv(t)
	for _, id := range []string{"cpu-sumsq", "cpu-primes"} {
		for _, c := range awkward {
			t.Run(fmt.Sprintf("%s/size=%d/tasks=%d", id, c.size, c.tasks), func(t *testing.T) {
				want := exact.SumSquaresBelow(c.size).String()
				if id == "cpu-primes" {
					want = strconv.FormatUint(exact.PrimesIn(0, c.size), 10)
				}
				cfg := parse(t, "demo", id, "size", fmt.Sprint(c.size), "tasks", fmt.Sprint(c.tasks), "workers", "2")
				rep := runAll(t, env, cfg)
				for _, run := range rep.Runs {
					assert.Equal(t, want, run.Result, run.Strategy)
					assert.Equal(t, want, sumValues(t, run), run.Strategy)
					assert.Len(t, run.Tasks, int(c.tasks), run.Strategy)
					assert.False(t, run.Partial, run.Strategy)
					assert.Empty(t, run.Error, run.Strategy)
				}
			})
		}
	}
}

func TestCPUDemosKnownValues(t *testing.T) {
	env := newEnv(t)
	cases := []struct {
		demo, size, tasks, want string
	}{
		{"cpu-sumsq", "1e8", "7", "333333328333333350000000"},
		{"cpu-primes", "1e6", "8", "78498"},
		{"cpu-primes", "10_000_000", "3", "664579"},
	}
	for _, c := range cases {
		t.Run(c.demo+"/"+c.size, func(t *testing.T) {
			rep := runAll(t, env, parse(t, "demo", c.demo, "size", c.size, "tasks", c.tasks))
			for _, run := range rep.Runs {
				assert.Equal(t, c.want, run.Result, run.Strategy)
				assert.False(t, run.Partial, run.Strategy)
			}
			if c.demo == "cpu-sumsq" {
				assert.Equal(t, exact.SumSquaresBelow(100_000_000).String(), c.want)
			}
		})
	}
}

func TestSkewExact(t *testing.T) {
	env := newEnv(t)
	for _, size := range []uint64{0, 1, 97, 1000, 1_000_003} {
		for _, tasks := range []int{1, 5, 32, 1200} {
			for _, chunk := range []int{1, 4, 100} {
				t.Run(fmt.Sprintf("size=%d/tasks=%d/chunk=%d", size, tasks, chunk), func(t *testing.T) {
					cfg := parse(t, "demo", "skew", "size", fmt.Sprint(size), "tasks", fmt.Sprint(tasks),
						"chunk", fmt.Sprint(chunk), "workers", "3")
					rep := runAll(t, env, cfg)
					for _, run := range rep.Runs {
						assert.Equal(t, exact.SumSquaresBelow(size).String(), run.Result, run.Strategy)
						assert.False(t, run.Partial, run.Strategy)
						assert.Len(t, run.Tasks, tasks)
					}
				})
			}
		}
	}
}

// TestOrder runs the order demo's two variants: ordered delivers in
// submission order, as-completed in the order the tasks ended. Which order
// they ended in is the machine's to say (a busy one may start task 1, half
// as long as task 0, late enough to end after it), so as-completed is held
// to the ends the run recorded: units of 50 ms put distinct ends 50 ms or
// more apart, and a result may trail its end by under half a unit. The
// strategy's own tests hold tasks to fix the order they end in.
func TestOrder(t *testing.T) {
	env := newEnv(t)
	for _, c := range []struct{ tasks, workers int }{{1, 3}, {2, 1}, {2, 2}, {8, 3}, {9, 32}} {
		t.Run(fmt.Sprintf("tasks=%d/workers=%d", c.tasks, c.workers), func(t *testing.T) {
			seen := watch(&env)
			cfg := parse(t, "demo", "order", "tasks", strconv.Itoa(c.tasks), "workers", strconv.Itoa(c.workers), "latency", "50ms")
			rep, err := demo.Run(context.Background(), env, cfg)
			require.NoError(t, err)
			require.Len(t, rep.Runs, 2)
			assert.Equal(t, int64(50), rep.Params["latency_ms"])
			want := 0
			submitted := make([]int, c.tasks)
			for k := range c.tasks {
				want += k * k
				submitted[k] = k
			}
			for _, run := range rep.Runs {
				assert.Equal(t, strconv.Itoa(want), run.Result, run.Strategy)
				for k, task := range run.Tasks {
					assert.Equal(t, strconv.Itoa(k*k), task.Value)
					assert.Positive(t, task.LatencyMs)
					assert.GreaterOrEqual(t, task.EndMs-task.StartMs, task.LatencyMs-1, "task %d waited its time", k)
				}
				order := seen.of(run.Strategy)
				ids := make([]int, len(order))
				for j, task := range order {
					ids[j] = task.ID
				}
				if run.Strategy == "ordered" {
					assert.Equal(t, submitted, ids, "ordered: in submission order")
					continue
				}
				require.Equal(t, "as-completed", run.Strategy)
				for j := 1; j < len(order); j++ {
					assert.GreaterOrEqual(t, order[j].EndMs, order[j-1].EndMs-25, "delivered in order of completion; ties either way")
				}
			}
		})
	}
}

func TestRace(t *testing.T) {
	env := newEnv(t)
	for _, tasks := range []int{1, 2, 8} {
		for _, size := range []int{0, 1, 1000, 100_000} {
			t.Run(fmt.Sprintf("tasks=%d/size=%d", tasks, size), func(t *testing.T) {
				cfg := parse(t, "demo", "race", "tasks", fmt.Sprint(tasks), "size", fmt.Sprint(size))
				rep := runAll(t, env, cfg)
				total := strconv.Itoa(tasks * size)
				for _, run := range rep.Runs {
					assert.Equal(t, total, run.Expected, run.Strategy)
					assert.False(t, run.Partial)
					assert.Len(t, run.Tasks, tasks)
					for _, task := range run.Tasks {
						assert.Equal(t, strconv.Itoa(size), task.Value, "each task did all its increments")
					}
					if run.Strategy != demo.RaceUnsafe {
						assert.Equal(t, total, run.Result, run.Strategy)
						assert.Equal(t, "no updates lost of "+total, run.Note, run.Strategy)
						continue
					}
					got, err := strconv.Atoi(run.Result)
					require.NoError(t, err)
					assert.LessOrEqual(t, got, tasks*size)
					lost := tasks*size - got
					if lost == 0 {
						assert.Equal(t, "no updates lost of "+total, run.Note)
					} else {
						assert.True(t, strings.HasPrefix(run.Note, fmt.Sprintf("lost %d of %s updates (", lost, total)), run.Note)
					}
					if tasks == 1 {
						assert.Equal(t, 0, lost, "one task alone loses nothing")
					}
				}
			})
		}
	}
}

// splitRange is task k's range when [0, size) is cut into n tasks as
// evenly as whole numbers allow.
func splitRange(size, n uint64, k int) (lo, hi uint64) {
	return size * uint64(k) / n, size * uint64(k+1) / n
}

func TestCancel(t *testing.T) {
	env := newEnv(t)
	leaks := append(slices.Clone(leakOptions), goleak.IgnoreCurrent())
	d, err := demo.Lookup("cancel")
	require.NoError(t, err)
	for _, id := range d.Strategies {
		t.Run("cut/"+id, func(t *testing.T) {
			// Many short tasks over the whole range (a few ms each): some
			// finish in 300ms, most cannot. A run stalled past its deadline
			// before one of them finished, as on a busy machine, is given
			// one more of twice the time, still too short for them all.
			alone := id == strategy.Sequential || id == strategy.Pool
			var cfg demo.Config
			var run report.Run
			finished := 0
			for _, timeout := range []string{"300ms", "600ms"} {
				cfg = parse(t, "demo", "cancel", "tasks", "1000", "timeout", timeout, "workers", "2")
				require.Equal(t, uint64(workload.MaxSumSquaresHi), uint64(cfg.Size), "the default size")
				start := time.Now()
				var err error
				run, err = demo.RunOne(context.Background(), env, cfg, id)
				require.NoError(t, err)
				assert.Less(t, time.Since(start), 10*time.Second, "stopped promptly")
				finished = 0
				for _, task := range run.Tasks {
					if task.Error == "" {
						finished++
					}
				}
				if finished > 0 || !alone {
					break
				}
				t.Logf("no task finished in %s: again", timeout)
			}
			assert.True(t, run.Partial)
			assert.Empty(t, run.Error, "being cut is not a failure")
			for k, task := range run.Tasks {
				if task.Error != "" {
					assert.Contains(t, task.Error, "deadline exceeded", "task %d", k)
					assert.Empty(t, task.Value)
					continue
				}
				lo, hi := splitRange(uint64(cfg.Size), 1000, k)
				assert.Equal(t, exact.SumSquaresRange(lo, hi).String(), task.Value, "task %d", k)
			}
			assert.Less(t, finished, 1000)
			if alone {
				assert.Positive(t, finished, "tasks that ran alone finished before the deadline")
			}
			assert.Equal(t, sumValues(t, run), run.Result)
			goleak.VerifyNone(t, leaks...)
		})
		t.Run("generous/"+id, func(t *testing.T) {
			cfg := parse(t, "demo", "cancel", "tasks", "9", "size", "1e6", "timeout", "600000")
			run, err := demo.RunOne(context.Background(), env, cfg, id)
			require.NoError(t, err)
			assert.False(t, run.Partial)
			assert.Empty(t, run.Error)
			assert.Equal(t, exact.SumSquaresBelow(1_000_000).String(), run.Result)
		})
	}
}

func TestStopCutsTheRestOfTheReport(t *testing.T) {
	env := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	env.OnTask = func(string, report.Task) { cancel() } // Stop, on the first result
	// The lane goes on to task 1 while task 0 is handed over: tasks of
	// 2·10⁸ terms (a fifth of a second or more) leave the handing over,
	// which can wait out a 10 ms time slice, twenty times its time.
	cfg := parse(t, "demo", "cpu-sumsq", "size", "2e9", "tasks", "10", "strategy", "sequential,pool,goroutines")
	rep, err := demo.Run(ctx, env, cfg)
	require.NoError(t, err)
	require.Len(t, rep.Runs, 1, "the strategies after the stopped one did not run")
	run := rep.Runs[0]
	assert.True(t, run.Partial)
	assert.Empty(t, run.Error)
	assert.Equal(t, sumValues(t, run), run.Result)
	for _, task := range run.Tasks[1:] {
		assert.Contains(t, task.Error, context.Canceled.Error())
	}
}

func TestRunOneErrors(t *testing.T) {
	env := newEnv(t)
	cfg := parse(t, "demo", "cpu-sumsq", "size", "10")
	_, err := demo.RunOne(context.Background(), env, cfg, "ordered")
	assert.EqualError(t, err, `strategy "ordered": demo cpu-sumsq has sequential, pool, goroutines, semaphore, workers, partition`)

	noPool := env
	noPool.Remote = nil
	_, err = demo.RunOne(context.Background(), noPool, cfg, strategy.Workers)
	assert.EqualError(t, err, "strategy workers: no remote workers here")
	run, err := demo.RunOne(context.Background(), noPool, cfg, strategy.Sequential)
	require.NoError(t, err)
	assert.Equal(t, "285", run.Result)

	failing := env
	failing.Remote = func(int) (remote.Pool, func(), error) { return nil, nil, errors.New("no processes left") }
	_, err = demo.RunOne(context.Background(), failing, cfg, strategy.Partition)
	assert.EqualError(t, err, "strategy partition: no processes left")

	_, err = demo.RunOne(context.Background(), env, demo.Config{Demo: "nope"}, strategy.Sequential)
	assert.Error(t, err)
}

func TestReportFromRun(t *testing.T) {
	env := newEnv(t)
	cfg := parse(t, "demo", "cpu-sumsq", "size", "1e6", "tasks", "4", "strategy", "all")
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	assert.Equal(t, report.Schema, rep.Schema)
	assert.Equal(t, "cpu-sumsq", rep.Demo)
	assert.Equal(t, env.Platform, rep.Platform)
	assert.Equal(t, map[string]any{"tasks": int64(4), "workers": int64(2), "size": int64(1_000_000), "timeout_ms": int64(0), "runs": int64(1)}, rep.Params)
	var seq report.Run
	for _, run := range rep.Runs {
		if run.Strategy == strategy.Sequential {
			seq = run
		}
	}
	require.Equal(t, strategy.Sequential, seq.Strategy)
	for _, run := range rep.Runs {
		assert.Positive(t, run.IdealMs, run.Strategy)
		if ratio := seq.WallMs / run.WallMs; run.Speedup == 0 {
			// Withheld: only a ratio more than the lanes allow, which a busy
			// machine can give tasks this small, and the verdict says so.
			assert.Greater(t, ratio, run.ExpectedSpeedup(), run.Strategy)
			assert.Contains(t, run.Verdict, "beats the limit", run.Strategy)
		} else {
			assert.InDelta(t, ratio, run.Speedup, 0.001, run.Strategy)
		}
		assert.InDelta(t, run.IdealMs/run.WallMs, run.Efficiency, 0.001, run.Strategy)
	}

	data, err := json.Marshal(rep)
	require.NoError(t, err)
	var back report.Report
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, rep.Runs, back.Runs)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
}

func TestDemosDescribeThemselves(t *testing.T) {
	want := []string{"io-download", "connections", "cpu-sumsq", "cpu-primes", "order", "skew", "pipeline", "race", "cancel"}
	assert.Equal(t, want, demo.IDs())
	for _, d := range demo.All() {
		t.Run(d.ID, func(t *testing.T) {
			assert.NotEmpty(t, d.Title)
			assert.NotEmpty(t, d.Explain)
			assert.NotEmpty(t, d.Python)
			assert.NotEmpty(t, d.Strategies)
			assert.NotEmpty(t, d.Default)
			for _, s := range d.Default {
				assert.Contains(t, d.Strategies, s)
			}
			for _, p := range d.Params {
				assert.LessOrEqual(t, p.Min, p.Default, p.Name)
				assert.LessOrEqual(t, p.Default, p.Max, p.Name)
				assert.NotEmpty(t, p.Help, p.Name)
			}
			require.NotEmpty(t, d.Sources)
			for _, src := range d.Sources {
				assert.True(t, strings.HasPrefix(src.File, "core/"), src.File)
				parts := strings.Split(src.File, "/")
				assert.Contains(t, src.Code, "package "+parts[1], src.File)
			}
			cfg := d.Defaults()
			assert.Equal(t, d.ID, cfg.Demo)
			assert.Equal(t, d.Default, cfg.Strategies)
			got, err := demo.Lookup(d.ID)
			require.NoError(t, err)
			assert.Same(t, d, got)
		})
	}
	_, err := demo.Lookup("nope")
	assert.EqualError(t, err, `demo "nope": want one of `+strings.Join(want, ", "))
}

func TestUsesRemote(t *testing.T) {
	tests := []struct {
		demo, id string
		want     bool
	}{
		{"cpu-sumsq", "sequential", false},
		{"cpu-sumsq", "goroutines", false},
		{"cpu-sumsq", "workers", true},
		{"cpu-sumsq", "partition", true},
		{"pipeline", "hybrid", true},
		{"skew", "pool", true}, // a dynamic queue over the remote workers
		{"skew", "partition", true},
		{"skew", "chunked", true},
		{"order", "ordered", false},
		{"order", "as-completed", false},
		{"race", "mutex", false},
		{"cancel", "workers", true},
	}
	for _, tt := range tests {
		t.Run(tt.demo+"/"+tt.id, func(t *testing.T) {
			d, err := demo.Lookup(tt.demo)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.UsesRemote(tt.id))
		})
	}
}

func TestRunOrder(t *testing.T) {
	cases := []struct {
		strategies []string
		runs       int
		want       []string
	}{
		{[]string{"a", "b", "c"}, 1, []string{"a", "b", "c"}},
		{[]string{"a", "b", "c"}, 0, []string{"a", "b", "c"}},
		{[]string{"a", "b", "c"}, 3, []string{"a", "b", "c", "b", "c", "a", "c", "a", "b"}},
		{[]string{"a", "b"}, 3, []string{"a", "b", "b", "a", "a", "b"}},
		{[]string{"a"}, 2, []string{"a", "a"}},
		{nil, 3, nil},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, demo.Order(c.strategies, c.runs), "%v × %d", c.strategies, c.runs)
	}
}

func TestRunRepeats(t *testing.T) {
	env := newEnv(t)
	var mu sync.Mutex
	var order []string // the strategy of each run, in the order they ran
	env.OnTask = func(s string, task report.Task) {
		mu.Lock()
		defer mu.Unlock()
		if task.ID == 0 {
			order = append(order, s)
		}
	}
	cfg := parse(t, "demo", "cpu-sumsq", "size", "1e6", "tasks", "1", "strategy", "sequential,pool,goroutines", "runs", "3")
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"sequential", "pool", "goroutines", "pool", "goroutines", "sequential", "goroutines", "sequential", "pool"}, order)
	assert.Equal(t, int64(3), rep.Params["runs"])
	require.Len(t, rep.Runs, 3)
	want := exact.SumSquaresBelow(1e6).String()
	for _, run := range rep.Runs {
		require.Len(t, run.WallsMs, 3, run.Strategy)
		sorted := slices.Sorted(slices.Values(run.WallsMs))
		assert.Equal(t, sorted[1], run.WallMs, "%s: the median repeat", run.Strategy)
		assert.Equal(t, &report.Spread{MinMs: sorted[0], MaxMs: sorted[2]}, run.Spread)
		assert.Equal(t, want, run.Result)
	}
}

func TestStopKeepsWholeRepeats(t *testing.T) {
	// Stopped during the second round: each strategy keeps its whole first
	// repeat; the cut second repeat is dropped.
	env := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	delivered := 0
	env.OnTask = func(string, report.Task) {
		mu.Lock()
		defer mu.Unlock()
		if delivered++; delivered == 2*20+1 {
			cancel()
		}
	}
	cfg := parse(t, "demo", "cpu-sumsq", "size", "1e9", "tasks", "20", "strategy", "sequential,pool", "runs", "3")
	rep, err := demo.Run(ctx, env, cfg)
	require.NoError(t, err)
	require.Len(t, rep.Runs, 2)
	for _, run := range rep.Runs {
		assert.False(t, run.Partial, run.Strategy)
		assert.Equal(t, exact.SumSquaresBelow(1e9).String(), run.Result)
		assert.Nil(t, run.WallsMs, "one whole repeat")
	}
}

func TestRaceCut(t *testing.T) {
	// A deadline cuts the tasks mid-count (in one wasm instance, where a
	// task runs until it yields, they may all finish first): each keeps the
	// count it reached, a cut makes the run partial, and the expected total
	// is their sum.
	cfg := parse(t, "demo", "race", "tasks", "4", "size", "10000000", "timeout", "5ms")
	for _, run := range runAll(t, newEnv(t), cfg).Runs {
		assert.Empty(t, run.Error, "a deadline is no error")
		var sum int64
		cut := 0
		for _, task := range run.Tasks {
			n, err := strconv.ParseInt(task.Value, 10, 64)
			require.NoError(t, err)
			sum += n
			if task.Error != "" {
				cut++
				assert.Contains(t, task.Error, "deadline exceeded")
			} else {
				assert.Equal(t, cfg.Size, n, "a task not cut did all its increments")
			}
		}
		assert.Equal(t, cut > 0, run.Partial, run.Strategy)
		assert.Equal(t, strconv.FormatInt(sum, 10), run.Expected, run.Strategy)
		if run.Strategy != demo.RaceUnsafe {
			assert.Equal(t, run.Expected, run.Result, "%s loses nothing", run.Strategy)
		}
	}
}
