package demo

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"lanes/core/report"
)

// The race demo's variants: four ways to share one counter.
const (
	RaceUnsafe  = "unsafe"  // read, then write: updates between are lost
	RaceMutex   = "mutex"   // a sync.Mutex around the increment
	RaceAtomic  = "atomic"  // one atomic add
	RaceChannel = "channel" // one goroutine owns the counter; others send it messages
)

// runRace starts cfg.Tasks goroutines that each add 1 to a shared counter
// cfg.Size times, sharing it the way the variant says, and reports the
// final count against the expected one. Lost updates are counted in Note,
// never hidden.
//
// The unsafe variant does what `counter += 1` does in Python: a load, then
// a store. It uses atomic loads and stores so that Go's race detector has
// nothing undefined to flag, yet another goroutine's update that lands
// between the two is overwritten, exactly as in the lesson.
func runRace(ctx context.Context, cfg Config, variant string, onTask func(report.Task)) report.Run {
	var counter atomic.Int64
	var mu sync.Mutex
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
	add := map[string]func(){
		RaceUnsafe:  func() { v := counter.Load(); counter.Store(v + 1) },
		RaceMutex:   func() { mu.Lock(); plain++; mu.Unlock() },
		RaceAtomic:  func() { counter.Add(1) },
		RaceChannel: func() { inbox <- struct{}{} },
	}[variant]
	start := time.Now()
	ms := func() float64 { return float64(time.Since(start).Microseconds()) / 1000 }
	recs := make([]report.Task, cfg.Tasks)
	var wg sync.WaitGroup
	var deliver sync.Mutex
	gate := make(chan struct{}) // start together, so the tasks overlap
	for k := range recs {
		wg.Go(func() {
			<-gate
			rec := &recs[k]
			*rec = report.Task{ID: k, Lane: k, StartMs: ms()}
			var n int64
			for ; n < cfg.Size; n++ {
				if n%4096 == 0 && ctx.Err() != nil {
					rec.Error = ctx.Err().Error()
					break
				}
				add()
			}
			rec.EndMs = ms()
			rec.Value = strconv.FormatInt(n, 10)
			deliver.Lock()
			rec.DeliveredMs = ms()
			onTask(*rec)
			deliver.Unlock()
		})
	}
	close(gate)
	wg.Wait()
	if inbox != nil {
		close(inbox)
		owner.Wait()
	}
	got := counter.Load() + plain
	var done int64
	run := report.Run{Strategy: variant, Lanes: cfg.Tasks, WallMs: ms(), Tasks: recs, Where: report.WhereLocal, Work: report.WorkCPU}
	for _, t := range recs {
		n, _ := strconv.ParseInt(t.Value, 10, 64)
		done += n
		if t.Error != "" {
			run.Partial = true
		}
	}
	run.Result = strconv.FormatInt(got, 10)
	run.Expected = strconv.FormatInt(done, 10)
	if lost := done - got; lost > 0 {
		run.Note = fmt.Sprintf("lost %d of %d updates (%.1f%%)", lost, done, 100*float64(lost)/float64(done))
	} else {
		run.Note = fmt.Sprintf("no updates lost of %d", done)
	}
	return run
}
