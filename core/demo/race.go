package demo

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// The race demo's variants: four ways to share one counter.
const (
	RaceUnsafe  = "unsafe"  // read, then write: updates between are lost
	RaceMutex   = "mutex"   // a sync.Mutex around the increment
	RaceAtomic  = "atomic"  // one atomic add
	RaceChannel = "channel" // one goroutine owns the counter; others send it messages
)

// raceWork gives each of cfg.Tasks tasks cfg.Size additions of 1 to one
// shared counter, shared the way the variant says; the tasks run as
// goroutines, one per task, on the strategies' one recorder, and the run's
// judge reports the final count against the expected one. Lost updates
// are counted in Note, never hidden.
//
// The unsafe variant does what `counter += 1` does in Python: a load, then
// a store. It uses atomic loads and stores so that Go's race detector has
// nothing undefined to flag, yet another goroutine's update that lands
// between the two is overwritten, exactly as in the lesson.
//
// Each task records its phases: waiting for the others at the start, and
// for the mutex, as lock; the rest as compute. A task's waits for the
// mutex are summed over each of at most racePhases stretches of its
// increments and drawn as one wait at the stretch's end: timing each of a
// million increments would cost more than the increments.
//
// The mutex variant's tasks lock mu, a new one for each run: a test holds
// it to make them wait.
func raceWork(cfg Config, variant string, mu *sync.Mutex) work {
	var counter atomic.Int64
	var plain int64
	var inbox chan struct{}
	var owner sync.WaitGroup
	if variant == RaceChannel {
		inbox = make(chan struct{}, 1024)
		owner.Go(func() {
			for range inbox {
				plain++
			}
		})
	}
	add := map[string]func(waited *time.Duration){
		RaceUnsafe:  func(*time.Duration) { v := counter.Load(); counter.Store(v + 1) },
		RaceMutex:   func(waited *time.Duration) { lock(mu, waited); plain++; mu.Unlock() },
		RaceAtomic:  func(*time.Duration) { counter.Add(1) },
		RaceChannel: func(*time.Duration) { inbox <- struct{}{} },
	}[variant]
	stretch := max(cfg.Size/racePhases, 4096)
	done := make([]atomic.Int64, cfg.Tasks) // each task's additions, cut or not
	all := newBarrier(cfg.Tasks)            // start together, so the tasks overlap
	tasks := make([]strategy.Task, cfg.Tasks)
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, Do: func(ctx context.Context) (workload.Output, error) {
			phases := workload.StartPhases()
			phases.Enter(report.StateLock)
			if err := all.wait(ctx); err != nil {
				return workload.Output{Phases: phases.Done()}, err
			}
			phases.Enter(report.StateCompute)
			var n int64
			var waited time.Duration // for the mutex, in this stretch
			defer func() { done[k].Store(n) }()
			for ; n < cfg.Size; n++ {
				if n%4096 == 0 && ctx.Err() != nil {
					return workload.Output{Phases: phases.Done()}, ctx.Err()
				}
				if n%stretch == 0 {
					phases.Spent(report.StateLock, waited)
					waited = 0
				}
				add(&waited)
			}
			phases.Spent(report.StateLock, waited)
			return workload.Output{Value: strconv.FormatInt(n, 10), Phases: phases.Done()}, nil
		}}
	}
	judge := func(run *report.Run) {
		if inbox != nil {
			close(inbox)
			owner.Wait()
		}
		got := counter.Load() + plain
		var want int64
		for k := range run.Tasks {
			n := done[run.Tasks[k].ID].Load()
			run.Tasks[k].Value = strconv.FormatInt(n, 10) // a cut task's too
			want += n
		}
		run.Result = strconv.FormatInt(got, 10)
		run.Expected = strconv.FormatInt(want, 10)
		if lost := want - got; lost > 0 {
			run.Note = fmt.Sprintf("lost %d of %d updates (%.1f%%)", lost, want, 100*float64(lost)/float64(want))
		} else {
			run.Note = fmt.Sprintf("no updates lost of %d", want)
		}
	}
	return work{tasks: tasks, judge: judge}
}

// racePhases bounds the stretches of a race task's increments whose mutex
// waits are drawn apart, so that its phases stay few.
const racePhases = 32

// lock locks mu, adding to *waited how long that took when another task
// held it; when nobody did, it reads no clock.
func lock(mu *sync.Mutex, waited *time.Duration) {
	if mu.TryLock() {
		return
	}
	t := time.Now()
	mu.Lock()
	*waited += time.Since(t)
}

// A barrier lets n goroutines go on together, once all have come.
type barrier struct {
	left atomic.Int64
	all  chan struct{}
}

func newBarrier(n int) *barrier {
	b := &barrier{all: make(chan struct{})}
	b.left.Store(int64(n))
	return b
}

// wait waits until all n have come, or ctx is done: then it returns
// ctx.Err().
func (b *barrier) wait(ctx context.Context) error {
	if b.left.Add(-1) == 0 {
		close(b.all)
	}
	select {
	case <-b.all:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
