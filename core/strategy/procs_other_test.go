//go:build !js

package strategy_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"lanes/core/internal/exact"
	"lanes/core/internal/proc"
	"lanes/core/internal/testkit"
	"lanes/core/strategy"
	"lanes/core/workload"
)

func TestRemoteStrategiesOnProcesses(t *testing.T) {
	pool := testkit.Procs(t, 3)
	cases := []struct {
		size  uint64
		tasks int
	}{{0, 1}, {1, 3}, {97, 7}, {128, 200}, {10_000_019, 5}}
	for _, id := range []string{strategy.Workers, strategy.Partition, strategy.Chunked, strategy.Hybrid} {
		for _, k := range []int{1, 3} {
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/k=%d/size=%d/tasks=%d", id, k, c.size, c.tasks), func(t *testing.T) {
					tasks := sumsqTasks(c.size, c.tasks)
					opt := strategy.Options{K: k, Chunk: 3, Remote: pool}
					run, order := delivered(context.Background(), id, tasks, opt)
					checkTimeline(t, id, k, tasks, run, order)
					assert.Equal(t, c.tasks, checkValues(t, tasks, run))
					assert.Equal(t, exact.SumSquaresBelow(c.size).String(), run.Result)
					assert.Empty(t, run.Error)
				})
			}
		}
	}
}

func TestKilledWorkerFailsItsTaskAndTheRunGoesOn(t *testing.T) {
	pool := testkit.Procs(t, 1)
	require.NoError(t, pool.Start())
	pids := pool.Pids()
	require.Len(t, pids, 1)
	tasks := append(bigTasks(1), sumsqTasks(1000, 3)...)
	for k := range tasks {
		tasks[k].ID = k
	}
	killed := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond) // the long task is running
		proc, err := os.FindProcess(pids[0])
		if err == nil {
			err = proc.Kill()
		}
		killed <- err
	}()
	run, order := delivered(context.Background(), strategy.Workers, tasks, strategy.Options{K: 1, Remote: pool})
	require.NoError(t, <-killed)
	checkTimeline(t, strategy.Workers, 1, tasks, run, order)
	assert.Equal(t, "worker process: signal: killed", run.Tasks[0].Error)
	assert.Equal(t, 3, checkValues(t, tasks, run), "the tasks after it ran on a new worker")
	assert.Equal(t, "1 of 4 tasks failed; first: task 0: worker process: signal: killed", run.Error)
	assert.True(t, run.Partial)
	assert.False(t, proc.Zombie(pids[0]), "the killed worker was reaped")
	now := pool.Pids()
	require.Len(t, now, 1)
	assert.NotEqual(t, pids[0], now[0], "the lane has a new worker")
}

func TestCancellationStopsWorkerProcesses(t *testing.T) {
	pool := testkit.Procs(t, 2)
	require.NoError(t, pool.Start())
	before := pool.Pids()
	tasks := append(sumsqTasks(1000, 2), bigTasks(4)...)
	for k := range tasks {
		tasks[k].ID = k
	}
	for _, id := range []string{strategy.Workers, strategy.Partition, strategy.Chunked, strategy.Hybrid} {
		t.Run(id, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			run, order := delivered(ctx, id, tasks, strategy.Options{K: 2, Chunk: 2, Remote: pool})
			assert.Less(t, time.Since(start), 5*time.Second, "stopped promptly")
			checkTimeline(t, id, 2, tasks, run, order)
			checkValues(t, tasks, run)
			assert.True(t, run.Partial)
			assert.Empty(t, run.Error)
			for i := 2; i < len(tasks); i++ {
				assert.Contains(t, run.Tasks[i].Error, context.DeadlineExceeded.Error(), "task %d", i)
			}
			goleak.VerifyNone(t, leakOptions...)
		})
	}
	for _, pid := range before {
		assert.False(t, proc.Zombie(pid), "worker %d reaped", pid)
	}
	// The pool still works after its workers were stopped.
	tasks = sumsqTasks(5000, 4)
	run := strategy.Run(context.Background(), strategy.Workers, tasks, strategy.Options{K: 2, Remote: pool})
	assert.Equal(t, exact.SumSquaresBelow(5000).String(), run.Result)
	assert.False(t, run.Partial)
}

func TestPipelineOnProcesses(t *testing.T) {
	// fetch-hash tasks whose URL cannot be reached: the hybrid's download
	// stage fails them here, a worker's fails them there; nothing hangs.
	pool := testkit.Procs(t, 2)
	tasks := []strategy.Task{
		{ID: 0, Spec: workload.Spec{Kind: workload.KindFetchHash, URL: "http://127.0.0.1:1/", Rounds: 1}},
		{ID: 1, Spec: workload.Spec{Kind: workload.KindHash, Body: []byte("abc"), Rounds: 1}},
	}
	for _, id := range []string{strategy.Workers, strategy.Hybrid} {
		t.Run(id, func(t *testing.T) {
			run := strategy.Run(context.Background(), id, tasks, strategy.Options{K: 2, Remote: pool})
			assert.Contains(t, run.Tasks[0].Error, "127.0.0.1:1")
			assert.Empty(t, run.Tasks[1].Error)
			want := strconv.FormatUint(exact.FNV1aRepeated([]byte("abc"), 1), 10)
			assert.Equal(t, want, run.Tasks[1].Value, "the hash, by hash/fnv")
			assert.Equal(t, want, run.Result, "the total of the one task that finished")
			assert.True(t, run.Partial)
		})
	}
}
