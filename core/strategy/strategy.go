// Package strategy runs a demo's tasks the ways the classic lessons compare —
// one after another, a pool of goroutines, one goroutine per task, a
// semaphore, worker processes, a static partition, chunks, and a hybrid of
// goroutines for I/O with workers for CPU — and records each task's lane,
// start, end, delivery and phases (queued, waiting, computing, …) on a
// timeline.
//
// Panic policy: a panicking task fails alone. The lane recovers, records
// the task as failed with the panic's text, and the run goes on.
package strategy

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// The strategy ids, a contract with the page and the command line.
const (
	Sequential = "sequential" // one lane, tasks in order
	Pool       = "pool"       // K goroutines pulling from a queue
	Goroutines = "goroutines" // one goroutine per task
	Semaphore  = "semaphore"  // one goroutine per task, K permits
	Workers    = "workers"    // K remote workers pulling from a queue
	Partition  = "partition"  // K remote workers, task k on lane k mod K
	Hybrid     = "hybrid"     // goroutines download, K remote workers compute
	Chunked    = "chunked"    // K remote workers pulling Chunk tasks at a time
)

// All lists every strategy in the order the lessons teach them.
var All = []string{Sequential, Pool, Goroutines, Semaphore, Workers, Partition, Hybrid, Chunked}

// Lanes is how many lanes strategy id runs n tasks on, given K lanes: one
// for sequential, one per task for goroutines and the hybrid (whose
// goroutines download), K for the others.
func Lanes(id string, k, n int) int {
	switch id {
	case Sequential:
		return 1
	case Goroutines, Hybrid:
		return n
	}
	return k
}

// UsesRemote reports whether the strategy runs its CPU work on a remote.Pool.
func UsesRemote(id string) bool {
	switch id {
	case Workers, Partition, Hybrid, Chunked:
		return true
	}
	return false
}

// A Task is one unit of a demo's work: a Spec, which can run anywhere, or
// a Do function, which runs in this Go instance only (work that shares
// memory with the other tasks, as the race demo's counter does).
type Task struct {
	ID   int
	Spec workload.Spec
	// Do, if set, is the task's work instead of Spec. Only the strategies
	// that run tasks here (not UsesRemote) take such tasks.
	Do func(ctx context.Context) (workload.Output, error)
	// LatencyMs is the task's known I/O latency, if any: a floor on its cost.
	LatencyMs float64
}

// Options configure a run.
type Options struct {
	// K is the number of lanes for pool, semaphore and the remote
	// strategies (the knob named "workers"). Zero means 1.
	K int
	// Chunk is how many tasks the chunked strategy sends at a time. Zero means 1.
	Chunk int
	// Runner runs specs in this process.
	Runner workload.Runner
	// Remote runs specs for the remote strategies; it must have at least
	// K lanes.
	Remote remote.Pool
	// Ordered delivers results in submission order (like executor.map)
	// rather than as they complete.
	Ordered bool
	// OnDeliver, if set, is called for each task as its result is
	// delivered, in delivery order, from one goroutine.
	OnDeliver func(report.Task)
}

// Run runs tasks with the strategy id and returns the run's record; its
// IdealMs, Speedup and Efficiency are left for report.Finish. When ctx is
// done, running tasks are stopped, unstarted ones are not started, and the
// run is marked partial. Run panics on an unknown id, on a remote strategy
// without a Remote pool, or given a task with Do.
func Run(ctx context.Context, id string, tasks []Task, opt Options) report.Run {
	if !slices.Contains(All, id) {
		panic("strategy: unknown strategy " + id) // before a goroutine starts
	}
	opt.K = max(opt.K, 1)
	opt.Chunk = max(opt.Chunk, 1)
	if UsesRemote(id) {
		if opt.Remote == nil {
			panic("strategy: " + id + " needs a remote pool")
		}
		if opt.Remote.Size() < opt.K {
			panic(fmt.Sprintf("strategy: remote pool of %d lanes for %d workers", opt.Remote.Size(), opt.K))
		}
		for _, t := range tasks {
			if t.Do != nil {
				panic(fmt.Sprintf("strategy: %s cannot run task %d, which runs only here", id, t.ID))
			}
		}
	}
	r := newRecorder(tasks, opt)
	stopWatching := r.stop.watch(ctx) // when a cut task's cancellation began
	defer stopWatching()
	switch id {
	case Sequential:
		r.lane(ctx, 0, r.queue(), r.local)
	case Pool:
		r.lanes(ctx, opt.K, r.queue(), r.local)
	case Goroutines:
		r.perTask(ctx, func(i int) int { return i })
	case Semaphore:
		slots := make(chan int, opt.K)
		for s := range opt.K {
			slots <- s
		}
		r.perTaskLimited(ctx, slots)
	case Workers:
		r.lanes(ctx, opt.K, r.queue(), r.remote)
	case Partition:
		r.partition(ctx, opt.K)
	case Chunked:
		r.chunked(ctx, opt.K)
	case Hybrid:
		r.hybrid(ctx, opt.K)
	}
	run := r.finish(ctx, id, Lanes(id, opt.K, len(tasks)))
	run.Work = workOf(tasks)
	switch {
	case id == Hybrid:
		run.Where, run.RemoteLanes = report.WhereHybrid, opt.K
	case UsesRemote(id):
		run.Where, run.RemoteLanes = report.WhereRemote, opt.K
	default:
		run.Where = report.WhereLocal
	}
	return run
}

// workOf says what kind of work the tasks are, for report.Capacity: CPU
// unless every task waits, or downloads (then maybe computes).
func workOf(tasks []Task) string {
	work := ""
	for _, t := range tasks {
		var w string
		switch t.Spec.Kind {
		case workload.KindWait:
			w = report.WorkWait
		case workload.KindFetch:
			w = report.WorkFetch
		case workload.KindFetchHash:
			w = report.WorkFetchCPU
		default:
			return report.WorkCPU
		}
		if work != "" && work != w {
			return report.WorkCPU
		}
		work = w
	}
	if work == "" {
		return report.WorkCPU
	}
	return work
}

// recorder runs tasks and keeps their timeline.
type recorder struct {
	tasks    []Task
	opt      Options
	start    time.Time
	recs     []report.Task
	ran      []bool // written by the task's lane before it reports done
	done     chan int
	finished chan struct{}
	stop     stopClock // when ctx was done (see phases.go)
}

func newRecorder(tasks []Task, opt Options) *recorder {
	r := &recorder{
		tasks: tasks, opt: opt, start: time.Now(),
		recs:     make([]report.Task, len(tasks)),
		ran:      make([]bool, len(tasks)),
		done:     make(chan int, len(tasks)),
		finished: make(chan struct{}),
	}
	for i, t := range tasks {
		r.recs[i] = report.Task{ID: t.ID, Lane: -1, LatencyMs: t.LatencyMs}
	}
	r.startPhases()
	go r.deliver()
	return r
}

func (r *recorder) ms() float64 {
	return report.MsSince(r.start)
}

// deliver hands results on as they finish, or in submission order.
func (r *recorder) deliver() {
	defer close(r.finished)
	ready := make([]bool, len(r.tasks))
	next := 0
	for i := range r.done {
		if !r.opt.Ordered {
			r.hand(i)
			continue
		}
		ready[i] = true
		for next < len(ready) && ready[next] {
			r.hand(next)
			next++
		}
	}
}

func (r *recorder) hand(i int) {
	r.recs[i].DeliveredMs = r.ms()
	r.delivered(i)
	if r.opt.OnDeliver != nil {
		r.opt.OnDeliver(r.recs[i])
	}
}

// queue returns a channel holding every task index in order.
func (r *recorder) queue() chan int {
	q := make(chan int, len(r.tasks))
	for i := range r.tasks {
		q <- i
	}
	close(q)
	return q
}

// lane runs the tasks from q one at a time on lane number n, until q is
// empty or ctx is done.
func (r *recorder) lane(ctx context.Context, n int, q <-chan int, run func(context.Context, int, int)) {
	for i := range q {
		if ctx.Err() != nil {
			return
		}
		run(ctx, n, i)
	}
}

// lanes runs k lanes sharing the queue q.
func (r *recorder) lanes(ctx context.Context, k int, q <-chan int, run func(context.Context, int, int)) {
	var wg sync.WaitGroup
	for n := range k {
		wg.Go(func() { r.lane(ctx, n, q, run) })
	}
	wg.Wait()
}

// perTask runs every task in its own goroutine on the lane laneOf gives.
func (r *recorder) perTask(ctx context.Context, laneOf func(int) int) {
	var wg sync.WaitGroup
	for i := range r.tasks {
		wg.Go(func() {
			if ctx.Err() == nil {
				r.local(ctx, laneOf(i), i)
			}
		})
	}
	wg.Wait()
}

// perTaskLimited runs every task in its own goroutine, each holding one of
// the permits in slots while it runs; the permit's number is its lane.
func (r *recorder) perTaskLimited(ctx context.Context, slots chan int) {
	var wg sync.WaitGroup
	for i := range r.tasks {
		wg.Go(func() {
			r.enter(i, report.StatePermit, r.ms())
			select {
			case s := <-slots:
				defer func() { slots <- s }()
				if ctx.Err() == nil {
					r.local(ctx, s, i)
				}
			case <-ctx.Done():
			}
		})
	}
	wg.Wait()
}

// local runs task i in this process on lane n.
func (r *recorder) local(ctx context.Context, n, i int) {
	rec := &r.recs[i]
	rec.Lane = n
	rec.StartMs = r.ms()
	// One closure, called straight, not remote.RunSafely: each frame on
	// the way to the work stays on the stack of a goroutine that waits,
	// and 10,000 of them had their stacks copied to grow.
	out, err := workload.Safely(func() (workload.Output, error) {
		if do := r.tasks[i].Do; do != nil {
			return do(ctx)
		}
		return r.opt.Runner.Run(ctx, r.tasks[i].Spec)
	})
	rec.EndMs = r.ms()
	r.worked(i, out.Phases, rec.StartMs, rec.EndMs, r.tasks[i].Spec.Kind)
	r.settle(ctx, i, out, err)
}

// remote runs task i on remote lane n.
func (r *recorder) remote(ctx context.Context, n, i int) {
	r.remoteBatch(ctx, n, []int{i}, []workload.Spec{r.tasks[i].Spec})
}

// remoteBatch runs the tasks idx, whose specs are specs, in one message to
// remote lane n. Their times come from the worker's own clock, placed by
// remote.Place so that the batch ends when its reply arrived; the first
// task was dispatched from when the message went until the worker began it.
func (r *recorder) remoteBatch(ctx context.Context, n int, idx []int, specs []workload.Spec) {
	sent := r.ms()
	results, err := r.opt.Remote.Do(ctx, n, specs)
	got := r.ms()
	if err == nil {
		remote.Place(results, sent, got)
	}
	for j, i := range idx {
		rec := &r.recs[i]
		rec.Lane = n
		if err != nil {
			rec.StartMs, rec.EndMs = sent, got
			r.worked(i, nil, sent, got, specs[j].Kind)
			r.settle(ctx, i, workload.Output{}, err)
			continue
		}
		rec.StartMs, rec.EndMs = results[j].StartMs, results[j].EndMs
		if j == 0 {
			r.enter(i, report.StateDispatch, sent)
		}
		r.worked(i, results[j].Output.Phases, rec.StartMs, rec.EndMs, specs[j].Kind)
		r.settle(ctx, i, results[j].Output, results[j].Err())
	}
}

// settle records task i's outcome and hands it to delivery. A task that
// failed once ctx was done was cut.
func (r *recorder) settle(ctx context.Context, i int, out workload.Output, err error) {
	rec := &r.recs[i]
	rec.Bytes = out.Bytes
	if err != nil {
		rec.Error = err.Error()
		if ctx.Err() != nil {
			r.cut(ctx, i)
		}
	} else {
		rec.Value = out.Value
	}
	r.ran[i] = true
	r.done <- i
}

// partition runs task i on lane i mod k, each lane in order.
func (r *recorder) partition(ctx context.Context, k int) {
	qs := make([]chan int, k)
	for n := range qs {
		qs[n] = make(chan int, len(r.tasks)/k+1)
	}
	for i := range r.tasks {
		qs[i%k] <- i
	}
	var wg sync.WaitGroup
	for n, q := range qs {
		close(q)
		wg.Go(func() { r.lane(ctx, n, q, r.remote) })
	}
	wg.Wait()
}

// chunked runs k remote lanes that take Chunk consecutive tasks at a time.
func (r *recorder) chunked(ctx context.Context, k int) {
	chunks := make(chan []int, len(r.tasks))
	for lo := 0; lo < len(r.tasks); lo += r.opt.Chunk {
		var idx []int
		for i := lo; i < min(lo+r.opt.Chunk, len(r.tasks)); i++ {
			idx = append(idx, i)
		}
		chunks <- idx
	}
	close(chunks)
	var wg sync.WaitGroup
	for n := range k {
		wg.Go(func() {
			for idx := range chunks {
				if ctx.Err() != nil {
					return
				}
				specs := make([]workload.Spec, len(idx))
				for j, i := range idx {
					specs[j] = r.tasks[i].Spec
				}
				r.remoteBatch(ctx, n, idx, specs)
			}
		})
	}
	wg.Wait()
}

// finish waits for delivery, marks the tasks that never ran and totals the
// results.
func (r *recorder) finish(ctx context.Context, id string, lanes int) report.Run {
	now := r.ms()
	for i, ran := range r.ran {
		if !ran {
			r.recs[i].StartMs, r.recs[i].EndMs = now, now
			r.recs[i].Error = report.NotStarted(ctx.Err())
			r.enter(i, report.StateCancelled, now)
			r.done <- i
		}
	}
	close(r.done)
	<-r.finished
	run := report.Run{Strategy: id, Lanes: lanes, WallMs: r.ms(), Tasks: r.recs}
	run.Total(ctx.Err())
	return run
}
