package strategy_test

import (
	"context"
	"errors"
	"fmt"
	"lanes/core/internal/exact"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

func TestExactAnswers(t *testing.T) {
	// Awkward splits: one task, more tasks than numbers, empty and tiny
	// ranges, primes and powers of two on either side.
	cases := []struct {
		size  uint64
		tasks int
	}{
		{0, 1}, {0, 3}, {1, 1}, {1, 4}, {2, 1}, {2, 5}, {3, 2}, {4, 3},
		{97, 1}, {97, 7}, {98, 7}, {128, 8}, {127, 200}, {129, 5},
		{65537, 3}, {1_000_000, 7},
	}
	for _, id := range strategy.All {
		for _, k := range []int{1, 2, 3} {
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/k=%d/size=%d/tasks=%d", id, k, c.size, c.tasks), func(t *testing.T) {
					tasks := sumsqTasks(c.size, c.tasks)
					run, order := delivered(context.Background(), id, tasks, options(t, id, k, workload.Runner{}))
					checkTimeline(t, id, k, tasks, run, order)
					assert.Equal(t, c.tasks, checkValues(t, tasks, run), "every task finished")
					assert.Equal(t, exact.SumSquaresBelow(c.size).String(), run.Result)
					assert.False(t, run.Partial)
					assert.Empty(t, run.Error)
				})
			}
		}
	}
}

func TestNoTasks(t *testing.T) {
	for _, id := range strategy.All {
		t.Run(id, func(t *testing.T) {
			run, order := delivered(context.Background(), id, nil, options(t, id, 2, workload.Runner{}))
			assert.Equal(t, "0", run.Result)
			assert.False(t, run.Partial)
			assert.Empty(t, run.Tasks)
			assert.Empty(t, order)
		})
	}
}

func TestSequentialRunsInOrder(t *testing.T) {
	tasks := sumsqTasks(10_000, 10)
	run := strategy.Run(context.Background(), strategy.Sequential, tasks, strategy.Options{K: 4})
	for i := 1; i < len(run.Tasks); i++ {
		assert.GreaterOrEqual(t, run.Tasks[i].StartMs, run.Tasks[i-1].EndMs)
	}
	assert.Equal(t, 1, run.Lanes)
}

func TestChunkedKeepsChunksTogether(t *testing.T) {
	tasks := sumsqTasks(1000, 11)
	for _, chunk := range []int{1, 3, 4, 11, 50} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			opt := options(t, strategy.Chunked, 2, workload.Runner{})
			opt.Chunk = chunk
			run, order := delivered(context.Background(), strategy.Chunked, tasks, opt)
			checkTimeline(t, strategy.Chunked, 2, tasks, run, order)
			checkValues(t, tasks, run)
			for i, rec := range run.Tasks {
				first := run.Tasks[i/chunk*chunk]
				assert.Equal(t, first.Lane, rec.Lane, "task %d rides with task %d", i, first.ID)
			}
		})
	}
}

// waitTasks gives task k a wait of weights[k] units, answering k².
func waitTasks(unit time.Duration, weights []int) []strategy.Task {
	tasks := make([]strategy.Task, len(weights))
	for k, w := range weights {
		ms := float64(time.Duration(w)*unit) / float64(time.Millisecond)
		tasks[k] = strategy.Task{ID: k, LatencyMs: ms,
			Spec: workload.Spec{Kind: workload.KindWait, WaitMs: ms, Answer: uint64(k * k)}}
	}
	return tasks
}

// A gate holds each task, once it has begun, until the test lets it end,
// so that the order tasks end in is the test's, whatever the machine.
// Task k answers k², as a local task's Do or as a spec its pool holds.
type gate struct {
	began, ended chan int
	release      []chan struct{}
	k            int // lanes of its pool
}

func newGate(n, k int) *gate {
	g := &gate{began: make(chan int, n), ended: make(chan int, n), release: make([]chan struct{}, n), k: k}
	for i := range g.release {
		g.release[i] = make(chan struct{})
	}
	return g
}

// hold says task id began, then waits until it may end or ctx is done.
func (g *gate) hold(ctx context.Context, id int) error {
	g.began <- id
	select {
	case <-g.release[id]:
		g.ended <- id
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tasks are n held tasks, each with a latency to carry, run here (Do)
// unless remote.
func (g *gate) tasks(remote bool) []strategy.Task {
	tasks := make([]strategy.Task, len(g.release))
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, LatencyMs: float64(k + 1),
			Spec: workload.Spec{Kind: workload.KindWait, Answer: uint64(k * k)}}
		if !remote {
			tasks[k].Do = func(ctx context.Context) (workload.Output, error) {
				if err := g.hold(ctx, k); err != nil {
					return workload.Output{}, err
				}
				return workload.Output{Value: fmt.Sprint(k * k)}, nil
			}
		}
	}
	return tasks
}

// The gate is also a remote.Pool whose lanes hold each spec, task k's
// known by its answer k².
func (g *gate) Size() int    { return g.k }
func (g *gate) Close() error { return nil }
func (g *gate) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	start := time.Now()
	res := make([]remote.Result, len(specs))
	for i, spec := range specs {
		id := int(math.Sqrt(float64(spec.Answer)))
		res[i].StartMs = report.MsSince(start)
		if err := g.hold(ctx, id); err != nil {
			return nil, err
		}
		res[i].EndMs = report.MsSince(start)
		res[i].Output = workload.Output{Value: fmt.Sprint(spec.Answer)}
	}
	return res, nil
}

// TestDeliveryOrder lets held tasks end one at a time, in an order of the
// test's, never submission order: each time, of the tasks under way, the
// one submitted last (the first time, once two are under way). As
// completed, each result must be delivered before the next task may end:
// the delivery order is the order they ended in, exactly. Ordered, results
// come in submission order, none before an earlier one ended. No timer
// decides anything: a busy machine only takes longer.
func TestDeliveryOrder(t *testing.T) {
	const n, k = 7, 3
	for _, id := range []string{strategy.Pool, strategy.Goroutines, strategy.Semaphore, strategy.Workers, strategy.Partition} {
		for _, ordered := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/ordered=%v", id, ordered), func(t *testing.T) {
				g := newGate(n, k)
				tasks := g.tasks(strategy.UsesRemote(id))
				opt := strategy.Options{K: k, Ordered: ordered}
				if strategy.UsesRemote(id) {
					opt.Remote = g
				}
				var order []report.Task
				handed := make(chan int, n)
				opt.OnDeliver = func(t report.Task) { // from one goroutine
					order = append(order, t)
					handed <- t.ID
				}
				ran := make(chan report.Run, 1)
				go func() { ran <- strategy.Run(context.Background(), id, tasks, opt) }()

				// Bounds that only a fault reaches: a correct run goes on
				// at once.
				const patience = 30 * time.Second
				began := map[int]bool{}
				var ended []int
				for len(ended) < n {
					want := 1 // under way, to choose from: two the first time, so that it is not task 0
					if len(ended) == 0 {
						want = min(2, n)
					}
					for len(began) < want {
						select {
						case b := <-g.began:
							began[b] = true
						case <-time.After(patience):
							t.Fatalf("no task began after tasks %v ended (under way: %v)", ended, began)
						}
					}
					for more := true; more; { // and any others under way by now
						select {
						case b := <-g.began:
							began[b] = true
						default:
							more = false
						}
					}
					last := -1
					for b := range began {
						last = max(last, b)
					}
					delete(began, last)
					close(g.release[last])
					ended = append(ended, last)
					select {
					case <-g.ended: // last, the one task let go
					case <-time.After(patience):
						t.Fatalf("task %d was let go, but did not end", last)
					}
					if ordered {
						continue
					}
					select {
					case got := <-handed:
						require.Equal(t, last, got, "as completed: the task that ended is the one delivered")
					case <-time.After(patience):
						t.Fatalf("task %d ended, but was not delivered (ended before it: %v)", last, ended[:len(ended)-1])
					}
				}
				run := <-ran
				checkTimeline(t, id, k, tasks, run, order)
				for i, rec := range run.Tasks {
					assert.Equal(t, fmt.Sprint(i*i), rec.Value)
					assert.Equal(t, tasks[i].LatencyMs, rec.LatencyMs)
				}
				ids := make([]int, len(order))
				for j, d := range order {
					ids[j] = d.ID
				}
				submitted := []int{0, 1, 2, 3, 4, 5, 6}
				assert.NotEqual(t, submitted, ended, "the tasks ended out of submission order")
				if !ordered {
					assert.Equal(t, ended, ids, "as completed: in the order they ended")
					return
				}
				assert.Equal(t, submitted, ids, "submission order")
				latest := 0.0
				for _, d := range order {
					latest = max(latest, d.EndMs)
					assert.GreaterOrEqual(t, d.DeliveredMs, latest, "task %d delivered before an earlier one ended", d.ID)
				}
			})
		}
	}
}

// bigTasks are sums of squares too long to finish in a test.
func bigTasks(n int) []strategy.Task {
	return sumsqTasks(workload.MaxSumSquaresHi, n)
}

func TestCancellation(t *testing.T) {
	// A mix: small tasks that finish before the deadline, then long ones
	// that are cut.
	tasks := append(sumsqTasks(3000, 3), bigTasks(5)...)
	for k := range tasks {
		tasks[k].ID = k
	}
	for _, id := range strategy.All {
		for _, ordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ordered=%v", id, ordered), func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				defer cancel()
				opt := options(t, id, 2, workload.Runner{})
				opt.Ordered = ordered
				start := time.Now()
				run, order := delivered(ctx, id, tasks, opt)
				assert.Less(t, time.Since(start), 5*time.Second, "stopped promptly")
				checkTimeline(t, id, 2, tasks, run, order)
				finished := checkValues(t, tasks, run)
				assert.Less(t, finished, len(tasks))
				assert.True(t, run.Partial)
				assert.Empty(t, run.Error, "being stopped is not a failure")
				for i, rec := range run.Tasks {
					if rec.Error != "" {
						assert.Contains(t, rec.Error, context.DeadlineExceeded.Error(), "task %d", i)
					}
				}
				for i := 3; i < len(tasks); i++ {
					assert.NotEmpty(t, run.Tasks[i].Error, "long task %d was cut", i)
				}
				goleak.VerifyNone(t, leakOptions...)
			})
		}
	}
}

func TestAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tasks := sumsqTasks(100, 4)
	for _, id := range strategy.All {
		t.Run(id, func(t *testing.T) {
			run, order := delivered(ctx, id, tasks, options(t, id, 2, workload.Runner{}))
			assert.Len(t, order, len(tasks))
			assert.Equal(t, 0, checkValues(t, tasks, run))
			assert.Equal(t, "0", run.Result)
			assert.True(t, run.Partial)
			for _, rec := range run.Tasks {
				assert.Contains(t, rec.Error, context.Canceled.Error())
			}
			goleak.VerifyNone(t, leakOptions...)
		})
	}
}

func TestPanicFailsAlone(t *testing.T) {
	runner := workload.Runner{Client: panicClient{}}
	url := "http://127.0.0.1:9/never"
	tasks := []strategy.Task{
		{ID: 0, Spec: workload.Spec{Kind: workload.KindSumSquares, Lo: 0, Hi: 100}},
		{ID: 1, Spec: workload.Spec{Kind: workload.KindFetch, URL: url}},
		{ID: 2, Spec: workload.Spec{Kind: workload.KindSumSquares, Lo: 100, Hi: 200}},
		{ID: 3, Spec: workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 2}},
		{ID: 4, Spec: workload.Spec{Kind: workload.KindSumSquares, Lo: 200, Hi: 300}},
	}
	for _, id := range strategy.All {
		t.Run(id, func(t *testing.T) {
			run, order := delivered(context.Background(), id, tasks, options(t, id, 2, runner))
			checkTimeline(t, id, 2, tasks, run, order)
			for _, i := range []int{1, 3} {
				assert.Equal(t, "panic: transport exploded", run.Tasks[i].Error, "task %d", i)
			}
			for _, i := range []int{0, 2, 4} {
				assert.Empty(t, run.Tasks[i].Error, "task %d", i)
				assert.Equal(t, exact.SumSquaresRange(tasks[i].Spec.Lo, tasks[i].Spec.Hi).String(), run.Tasks[i].Value)
			}
			assert.Equal(t, exact.SumSquaresBelow(300).String(), run.Result)
			assert.True(t, run.Partial)
			assert.Equal(t, "2 of 5 tasks failed; first: task 1: panic: transport exploded", run.Error)
		})
	}
}

func TestRemoteFailureFailsItsTasks(t *testing.T) {
	tasks := sumsqTasks(1000, 6)
	for _, id := range []string{strategy.Workers, strategy.Partition, strategy.Chunked, strategy.Hybrid} {
		t.Run(id, func(t *testing.T) {
			pool := newLocalPool(t, 2, workload.Runner{})
			failed := false
			// Lane 0 waits for lane 1's first request, or a tiny task queue
			// could drain on lane 0 alone, natively, where nothing yields
			// (every strategy here gives lane 1 a task, so only a fault
			// makes lane 0 wait long; a second was what a busy machine
			// could take to start lane 1).
			asked := make(chan struct{})
			var once sync.Once
			pool.fail = func(lane int) error {
				if lane == 0 {
					select {
					case <-asked:
					case <-time.After(time.Minute):
					}
					return nil
				}
				once.Do(func() { close(asked) })
				if !failed {
					failed = true // lane 1 is only ever used by one goroutine at a time
					return errors.New("worker process: signal: killed")
				}
				return nil
			}
			opt := strategy.Options{K: 2, Chunk: 2, Remote: pool}
			run, order := delivered(context.Background(), id, tasks, opt)
			checkTimeline(t, id, 2, tasks, run, order)
			finished := checkValues(t, tasks, run)
			lost := 1
			if id == strategy.Chunked {
				lost = 2
			}
			assert.Equal(t, len(tasks)-lost, finished, "the run went on")
			assert.True(t, strings.HasPrefix(run.Error, fmt.Sprintf("%d of 6 tasks failed; first: task ", lost)), run.Error)
			assert.Contains(t, run.Error, "worker process: signal: killed")
		})
	}
}

func TestRunPanicsOnMisuse(t *testing.T) {
	assert.PanicsWithValue(t, "strategy: unknown strategy juggle", func() {
		strategy.Run(context.Background(), "juggle", nil, strategy.Options{})
	})
	assert.PanicsWithValue(t, "strategy: workers needs a remote pool", func() {
		strategy.Run(context.Background(), strategy.Workers, nil, strategy.Options{})
	})
	assert.PanicsWithValue(t, "strategy: remote pool of 1 lanes for 2 workers", func() {
		strategy.Run(context.Background(), strategy.Partition, nil, strategy.Options{K: 2, Remote: newLocalPool(t, 1, workload.Runner{})})
	})
	for _, id := range strategy.All {
		assert.Equal(t, slices.Contains([]string{strategy.Workers, strategy.Partition, strategy.Hybrid, strategy.Chunked}, id), strategy.UsesRemote(id), id)
	}
}

func TestFilesHoldTheSource(t *testing.T) {
	for _, name := range []string{"strategy.go", "hybrid.go"} {
		code, err := strategy.Files.ReadFile(name)
		require.NoError(t, err)
		assert.Contains(t, string(code), "package strategy")
	}
}

func TestRunRecordsWhereAndWork(t *testing.T) {
	// report.Capacity reads these: where the lanes ran and what the work was.
	cases := []struct {
		id     string
		kind   workload.Kind
		where  string
		work   string
		remote int
	}{
		{strategy.Sequential, workload.KindSumSquares, report.WhereLocal, report.WorkCPU, 0},
		{strategy.Goroutines, workload.KindPrimes, report.WhereLocal, report.WorkCPU, 0},
		{strategy.Pool, workload.KindWait, report.WhereLocal, report.WorkWait, 0},
		{strategy.Semaphore, workload.KindHash, report.WhereLocal, report.WorkCPU, 0},
		{strategy.Workers, workload.KindSumSquares, report.WhereRemote, report.WorkCPU, 2},
		{strategy.Partition, workload.KindWait, report.WhereRemote, report.WorkWait, 2},
		{strategy.Chunked, workload.KindSumSquares, report.WhereRemote, report.WorkCPU, 2},
		{strategy.Hybrid, workload.KindSumSquares, report.WhereHybrid, report.WorkCPU, 2},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+string(c.kind), func(t *testing.T) {
			tasks := []strategy.Task{{ID: 0, Spec: workload.Spec{Kind: c.kind, Lo: 0, Hi: 10, WaitMs: 1}}}
			run := strategy.Run(context.Background(), c.id, tasks, options(t, c.id, 2, workload.Runner{}))
			require.Empty(t, run.Error)
			assert.Equal(t, c.where, run.Where)
			assert.Equal(t, c.work, run.Work)
			assert.Equal(t, c.remote, run.RemoteLanes)
		})
	}
}

// slowStart is a remote pool whose lanes take 30 ms to start, then report
// each spec as 5 ms of work on their own clock.
type slowStart struct{}

func (slowStart) Size() int { return 2 }
func (slowStart) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	time.Sleep(30 * time.Millisecond)
	res := make([]remote.Result, len(specs))
	for i := range res {
		res[i] = remote.Result{StartMs: float64(5 * i), EndMs: float64(5 * (i + 1)), Output: workload.Output{Value: "1"}}
	}
	return res, nil
}
func (slowStart) Close() error { return nil }

func TestRemoteTimesEndWhenTheReplyArrives(t *testing.T) {
	// A worker's clock starts when it gets the message: the time before —
	// a process starting — belongs before the task, where report counts
	// it as startup, not in the task.
	tasks := sumsqTasks(100, 2)
	run := strategy.Run(context.Background(), strategy.Chunked, tasks, strategy.Options{K: 1, Chunk: 2, Remote: slowStart{}})
	require.Empty(t, run.Error)
	require.Len(t, run.Tasks, 2)
	first, second := run.Tasks[0], run.Tasks[1]
	assert.GreaterOrEqual(t, first.StartMs, 19.9, "30 ms in Do, the last 10 of them the batch: placed after the start-up")
	assert.InDelta(t, 5, first.EndMs-first.StartMs, 0.01)
	assert.InDelta(t, first.EndMs, second.StartMs, 0.01, "the batch's tasks back to back")
	assert.LessOrEqual(t, second.EndMs, run.WallMs)

	rep := report.Report{Platform: report.Platform{Kind: "native", CPUs: 2, GOMAXPROCS: 2}, Runs: []report.Run{run}}
	rep.Finish()
	assert.GreaterOrEqual(t, rep.Runs[0].Losses.StartupMs, 19.9)
}
