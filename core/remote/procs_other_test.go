//go:build !js

package remote_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/internal/exact"
	"lanes/core/internal/proc"
	"lanes/core/internal/testkit"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// long is a spec that takes seconds.
var long = workload.Spec{Kind: workload.KindSumSquares, Lo: 0, Hi: workload.MaxSumSquaresHi}

func TestProcsDo(t *testing.T) {
	p := testkit.Procs(t, 2)
	assert.Equal(t, 2, p.Size())
	assert.Empty(t, p.Pids(), "workers start on first use")
	for lane := range 2 {
		specs := []workload.Spec{
			{Kind: workload.KindSumSquares, Lo: 3, Hi: 3_000_017},
			{Kind: workload.KindPrimes, Lo: 0, Hi: 1_000_000},
			{Kind: workload.KindHash, Body: []byte{0, '\n', 255}, Rounds: 3},
			{Kind: workload.KindWait, WaitMs: 1, Answer: 42},
			{Kind: "juggle"},
		}
		res, err := p.Do(context.Background(), lane, specs)
		require.NoError(t, err)
		require.Len(t, res, len(specs))
		assert.Equal(t, exact.SumSquaresRange(3, 3_000_017).String(), res[0].Output.Value)
		assert.Equal(t, "78498", res[1].Output.Value)
		h := exact.FNV1aRepeated([]byte{0, '\n', 255}, 3)
		assert.Equal(t, strconv.FormatUint(h, 10), res[2].Output.Value, "bytes cross the pipe intact")
		assert.Equal(t, "42", res[3].Output.Value)
		assert.Equal(t, `workload: unknown kind "juggle"`, res[4].Error)
		for i, state := range []string{report.StateCompute, report.StateCompute, report.StateCompute, report.StateIOWait} {
			require.NotEmpty(t, res[i].Output.Phases, "spec %d: its phases cross the pipe", i)
			assert.Equal(t, state, res[i].Output.Phases[0].State, "spec %d", i)
		}
	}
	pids := p.Pids()
	require.Len(t, pids, 2)
	assert.NotEqual(t, pids[0], pids[1])
	// A lane keeps its worker from one call to the next.
	_, err := p.Do(context.Background(), 0, nil)
	require.NoError(t, err)
	assert.Equal(t, pids, p.Pids())
	assert.PanicsWithValue(t, "remote: lane 2 outside pool of 2", func() { p.Do(context.Background(), 2, nil) })
}

func TestProcsKilledWorker(t *testing.T) {
	p := testkit.Procs(t, 1)
	require.NoError(t, p.Start())
	pid := p.Pids()[0]
	killed := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		proc, err := os.FindProcess(pid)
		if err == nil {
			err = proc.Kill()
		}
		killed <- err
	}()
	start := time.Now()
	_, err := p.Do(context.Background(), 0, []workload.Spec{long})
	require.NoError(t, <-killed)
	assert.EqualError(t, err, "worker process: signal: killed")
	assert.Less(t, time.Since(start), 3*time.Second, "the call ended when the worker died")
	assert.False(t, proc.Zombie(pid), "the dead worker was reaped")
	assert.False(t, proc.Running(pid))
	assert.Empty(t, p.Pids(), "the dead worker is gone from the pool")

	res, err := p.Do(context.Background(), 0, []workload.Spec{{Kind: workload.KindPrimes, Hi: 100}})
	require.NoError(t, err, "the lane has a new worker")
	assert.Equal(t, "25", res[0].Output.Value)
	require.Len(t, p.Pids(), 1)
	assert.NotEqual(t, pid, p.Pids()[0])
}

func TestProcsCancellationKillsAndReplaces(t *testing.T) {
	p := testkit.Procs(t, 2)
	require.NoError(t, p.Start())
	pids := p.Pids()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Do(ctx, 1, []workload.Spec{long})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 3*time.Second, "the call ended at the deadline")
	assert.False(t, proc.Running(pids[1]), "the busy worker was stopped")
	assert.False(t, proc.Zombie(pids[1]), "and reaped")
	assert.True(t, proc.Running(pids[0]), "the idle one was left alone")

	_, err = p.Do(ctx, 0, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a done context runs nothing")

	res, err := p.Do(context.Background(), 1, []workload.Spec{{Kind: workload.KindSumSquares, Hi: 10}})
	require.NoError(t, err)
	assert.Equal(t, "285", res[0].Output.Value)
	now := p.Pids()
	require.Len(t, now, 2)
	assert.Equal(t, pids[0], now[0])
	assert.NotEqual(t, pids[1], now[1], "lane 1 has a new worker")
}

func TestProcsClose(t *testing.T) {
	p := remote.NewProcs(2, remote.WorkerCommand)
	require.NoError(t, p.Start())
	pids := p.Pids()
	require.Len(t, pids, 2)
	require.NoError(t, p.Close())
	for _, pid := range pids {
		assert.False(t, proc.Running(pid), "worker %d stopped", pid)
		assert.False(t, proc.Zombie(pid), "worker %d reaped", pid)
	}
	assert.Empty(t, p.Pids())
	require.NoError(t, p.Close(), "closing twice is harmless")
}

func TestProcsStartFails(t *testing.T) {
	p := remote.NewProcs(1, func() *exec.Cmd { return exec.Command("/nonexistent/lanes-worker") })
	_, err := p.Do(context.Background(), 0, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "start worker process")
	assert.Error(t, p.Start())
}

func TestProcsWorkerThatAnswersNonsense(t *testing.T) {
	// A "worker" that answers every request with the wrong id.
	p := remote.NewProcs(1, func() *exec.Cmd {
		return exec.Command("sh", "-c", `while read line; do echo '{"id": 999, "results": []}'; done`)
	})
	t.Cleanup(func() { p.Close() })
	_, err := p.Do(context.Background(), 0, []workload.Spec{{Kind: workload.KindWait}})
	require.Error(t, err)
	assert.Equal(t, "worker process: answer 999 with 0 results to request 1 of 1 specs (stopped: signal: killed)", err.Error(),
		"the answer, not the kill that followed it, is the news")
	assert.Empty(t, p.Pids(), "the worker was stopped")
}

// TestWorkerCutsItsWorkWhenInputEnds starts a worker by hand, gives it a
// minute's work and closes its input, as a parent's death does: the worker
// answers that the work was cut and exits at once, cleanly.
func TestWorkerCutsItsWorkWhenInputEnds(t *testing.T) {
	cmd := remote.WorkerCommand()
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	var out strings.Builder
	cmd.Stdout = &out
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	_, err = io.WriteString(stdin, `{"id": 1, "specs": [{"kind": "wait", "wait_ms": 60000}]}`+"\n"+
		`{"id": 2, "specs": [{"kind": "sumsq", "lo": 0, "hi": 4294967296}]}`+"\n")
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond) // both are under way
	require.NoError(t, stdin.Close())
	select {
	case err := <-exited:
		require.NoError(t, err, "a worker whose input ends exits cleanly")
	case <-time.After(10 * time.Second): // the work takes a minute
		t.Fatal("the worker went on working after its input ended")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	for _, l := range lines {
		var resp remote.Response
		require.NoError(t, json.Unmarshal([]byte(l), &resp), l)
		require.Len(t, resp.Results, 1)
		assert.Equal(t, context.Canceled.Error(), resp.Results[0].Error, "request %d", resp.ID)
	}
}

// TestProcsCloseKillsAWorkerThatStays closes a pool whose "worker" ignores
// the end of its input: Close kills it after a grace period, reaps it and
// says so, instead of waiting for it forever.
func TestProcsCloseKillsAWorkerThatStays(t *testing.T) {
	p := remote.NewProcs(1, func() *exec.Cmd { return exec.Command("sleep", "60") })
	require.NoError(t, p.Start())
	pid := p.Pids()[0]
	t.Cleanup(func() {
		if pr, err := os.FindProcess(pid); err == nil {
			pr.Kill()
		}
	})
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "killed")
	case <-time.After(20 * time.Second): // the worker stays a minute
		t.Fatal("Close waited for a worker that does not exit")
	}
	assert.False(t, proc.Running(pid), "the worker was killed")
	assert.False(t, proc.Zombie(pid), "and reaped")
	assert.Empty(t, p.Pids())
}
