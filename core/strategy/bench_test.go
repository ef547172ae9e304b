package strategy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// noopTasks are n tasks that do nothing: what is left to time is the
// recorder's own work.
func noopTasks(n int) []strategy.Task {
	tasks := make([]strategy.Task, n)
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, Do: func(context.Context) (workload.Output, error) {
			return workload.Output{Value: "1"}, nil
		}}
	}
	return tasks
}

// recorderStrategies are the strategies whose recorder runs tasks here.
var recorderStrategies = []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Semaphore}

// BenchmarkRecorder measures what the recorder costs a task, with and
// without its phases, on tasks that do nothing (ns/task):
//
//	go test -run '^$' -bench Recorder -count 5 ./core/strategy
func BenchmarkRecorder(b *testing.B) {
	const n = 1000
	tasks := noopTasks(n)
	for _, id := range recorderStrategies {
		for _, phases := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/phases=%v", id, phases), func(b *testing.B) {
				defer strategy.RecordPhases(phases)()
				for b.Loop() {
					strategy.Run(context.Background(), id, tasks, strategy.Options{K: 2})
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
			})
		}
	}
}

// BenchmarkWorkPhases measures what recording a piece of work's phases
// costs it where it runs (a Runner's record, kept in the work's context,
// and three states entered), on work that does nothing else.
func BenchmarkWorkPhases(b *testing.B) {
	runner := workload.Runner{}
	spec := workload.Spec{Kind: workload.KindWait} // a wait of 0: a timer, and the record
	b.Run("run", func(b *testing.B) {
		for b.Loop() {
			runner.Run(context.Background(), spec)
		}
	})
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			p := workload.StartPhases()
			ctx := context.WithValue(context.Background(), p, p)
			for _, s := range []string{report.StateIOWait, report.StateTransfer, report.StateCompute} {
				ctx.Value(p).(*workload.Phases).Enter(s)
			}
			p.Done()
		}
	})
}

// perTask is what recording phases costs a task: the recorder's cost with
// phases less its cost without them, on n tasks that do nothing, the
// cheapest of a few tries of each, plus what a task's work pays for its
// record of phases.
func perTask(n int) time.Duration {
	tasks := noopTasks(n)
	cheapest := func(phases bool) time.Duration {
		defer strategy.RecordPhases(phases)()
		best := time.Duration(1<<63 - 1)
		for range 7 {
			start := time.Now()
			strategy.Run(context.Background(), strategy.Pool, tasks, strategy.Options{K: 2})
			best = min(best, time.Since(start))
		}
		return best
	}
	recorder := max(cheapest(true)-cheapest(false), 0) / time.Duration(n)
	start := time.Now()
	for range n {
		p := workload.StartPhases()
		p.Enter(report.StateIOWait)
		p.Enter(report.StateTransfer)
		p.Enter(report.StateCompute)
		p.Done()
	}
	return recorder + time.Since(start)/time.Duration(n)
}
