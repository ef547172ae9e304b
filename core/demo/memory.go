package demo

import (
	"runtime"
	"runtime/metrics"
	"time"

	"lanes/core/report"
)

// watchMemory starts measuring what the run about to start costs in
// memory, for a demo whose lesson is what a lane costs (connections), and
// returns the function that stops it and puts the figures in the run's
// record (report.Memory). It first collects garbage, so that the stacks
// that earlier runs' goroutines left behind are freed and not counted as
// this run's, then reads the runtime's count of goroutines and its stack
// memory every tick — an eighth of the latency, between 1 and 20 ms —
// keeping the reading with the most goroutines: the moment the most were
// parked. A goroutine per task parks all of them at once, each waiting on
// its timer. After the run, natively on Linux, a probe measures what an
// OS thread costs for comparison (probeThreads).
func watchMemory(latency time.Duration) (stop func(*report.Run)) {
	runtime.GC()
	base := readStacks()
	tick := min(max(latency/8, time.Millisecond), 20*time.Millisecond)
	quit, done := make(chan struct{}), make(chan struct{})
	var peak stacks
	go func() {
		defer close(done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if s := readStacks(); s.goroutines > peak.goroutines {
					peak = s
				}
			case <-quit:
				return
			}
		}
	}()
	return func(run *report.Run) {
		close(quit)
		<-done
		m := &report.Memory{}
		// The watcher itself is one of the goroutines at the peak.
		if n := int(peak.goroutines) - int(base.goroutines) - 1; n >= report.MinGoroutines && peak.bytes > base.bytes {
			m.Goroutines = n
			m.GoroutineStackBytes = float64(peak.bytes-base.bytes) / float64(n)
		}
		probeThreads(m)
		if *m != (report.Memory{}) {
			run.Memory = m
		}
	}
}

// stacks is one reading of the runtime's goroutines and their stacks.
type stacks struct {
	goroutines, bytes uint64
}

// readStacks reads the live goroutines and the heap memory given to
// stacks (runtime/metrics, which does not stop the world).
func readStacks() stacks {
	s := []metrics.Sample{{Name: "/sched/goroutines:goroutines"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return stacks{} // a runtime without them: nothing measured
	}
	return stacks{s[0].Value.Uint64(), s[1].Value.Uint64()}
}
