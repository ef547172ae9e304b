package strategy

import (
	"context"
	"sync"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// hybrid downloads every task's body in a goroutine of its own (async I/O),
// then sends the body to one of k remote lanes for the CPU stage, like
// asyncio with run_in_executor on a process pool. A task's lane is its own
// goroutine, which spans the download and the wait for the CPU result; the
// CPU stage runs on the remote lane the task's Value came from. On the
// task's lane: waiting on I/O and transferring, then dispatch while it
// waits for a free remote lane and its message goes, then computing.
//
// Specs that are not fetch-hash have no I/O stage and go straight to the
// remote lanes.
func (r *recorder) hybrid(ctx context.Context, k int) {
	type cpuJob struct {
		i    int
		spec workload.Spec
		back chan struct{}
	}
	jobs := make(chan cpuJob)
	var cpu sync.WaitGroup
	for n := range k {
		cpu.Go(func() {
			for j := range jobs {
				r.remoteStage(ctx, n, j.i, j.spec)
				close(j.back)
			}
		})
	}
	var io sync.WaitGroup
	for i, t := range r.tasks {
		io.Go(func() {
			if ctx.Err() != nil {
				return
			}
			rec := &r.recs[i]
			rec.Lane = i
			rec.StartMs = r.ms()
			spec := t.Spec
			handed := rec.StartMs // to the CPU stage
			if spec.Kind == workload.KindFetchHash {
				d, err := workload.Safely(func() (workload.Download, error) { return r.opt.Runner.Download(ctx, spec) })
				downloaded := r.ms()
				r.worked(i, d.Output.Phases, rec.StartMs, downloaded, spec.Kind)
				if err != nil {
					rec.EndMs = downloaded
					r.settle(ctx, i, d.Output, err)
					return
				}
				defer d.Release() // once the CPU stage has the body no more
				spec, handed = *d.Rest, downloaded
			}
			r.enter(i, report.StateDispatch, handed)
			back := make(chan struct{})
			select {
			case jobs <- cpuJob{i, spec, back}:
				<-back
			case <-ctx.Done():
				rec.EndMs = r.ms()
				r.settle(ctx, i, workload.Output{}, ctx.Err())
			}
		})
	}
	io.Wait()
	close(jobs)
	cpu.Wait()
}

// remoteStage runs spec for task i on remote lane n and settles the task,
// keeping the lane and start time its I/O stage recorded. The worker's
// times, placed on the run's clock, say when it began and ended the work.
func (r *recorder) remoteStage(ctx context.Context, n, i int, spec workload.Spec) {
	sent := r.ms()
	results, err := r.opt.Remote.Do(ctx, n, []workload.Spec{spec})
	rec := &r.recs[i]
	rec.EndMs = r.ms()
	if err != nil {
		r.worked(i, nil, sent, rec.EndMs, spec.Kind)
		r.settle(ctx, i, workload.Output{}, err)
		return
	}
	remote.Place(results, sent, rec.EndMs)
	r.worked(i, results[0].Output.Phases, results[0].StartMs, results[0].EndMs, spec.Kind)
	r.settle(ctx, i, results[0].Output, results[0].Err())
}
