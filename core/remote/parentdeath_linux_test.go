package remote

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/internal/proc"
	"lanes/core/workload"
)

// parentEnv makes this test binary, started by startParent, play a parent
// process with two busy workers, of which it prints the ids and then waits
// to be killed. With parentEnv=hold it also starts a process that holds
// the workers' input open, so that only the parent-death signal can tell
// them their parent is gone.
const parentEnv = "LANES_TEST_PARENT"

// busy are the two lanes' work: a CPU loop of seconds and a minute's wait,
// each far longer than the bound on the workers' life after their parent.
var busy = []workload.Spec{
	{Kind: workload.KindSumSquares, Lo: 0, Hi: workload.MaxSumSquaresHi},
	{Kind: workload.KindWait, WaitMs: 60_000},
}

// beParent is the parent process's side of the test.
func beParent(mode string) {
	p := NewProcs(2, WorkerCommand)
	if err := p.Start(); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	pids := p.Pids() // before the calls, which hold the lanes
	var extra []string
	if mode == "hold" {
		holder := exec.Command("sleep", "30")
		for _, l := range p.lanes {
			f, ok := l.stdin.(*os.File)
			if !ok {
				fmt.Printf("error the workers' input is a %T, not a file to hand on\n", l.stdin)
				os.Exit(1)
			}
			holder.ExtraFiles = append(holder.ExtraFiles, f)
		}
		if err := holder.Start(); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		extra = append(extra, fmt.Sprint(holder.Process.Pid))
	}
	for lane, spec := range busy {
		go p.Do(context.Background(), lane, []workload.Spec{spec})
	}
	time.Sleep(100 * time.Millisecond) // the requests are on their way
	fmt.Println("pids", strings.Trim(fmt.Sprint(pids), "[]"), strings.Join(extra, " "))
	select {}
}

// startParent starts this test binary as a parent (see parentEnv) and
// returns it with its workers' ids and, in hold mode, the holder's.
func startParent(t *testing.T, mode string) (*exec.Cmd, []int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), parentEnv+"="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "pids ") || strings.HasPrefix(sc.Text(), "error ") {
				lines <- sc.Text()
				return
			}
		}
		close(lines)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatal("the parent process did not start its workers")
	}
	require.True(t, strings.HasPrefix(line, "pids "), line)
	var pids []int
	for _, f := range strings.Fields(strings.TrimPrefix(line, "pids ")) {
		var pid int
		_, err := fmt.Sscan(f, &pid)
		require.NoError(t, err)
		pids = append(pids, pid)
	}
	for _, pid := range pids {
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		require.True(t, proc.Running(pid), "process %d runs", pid)
	}
	return cmd, pids
}

// requireGone waits up to a generous bound for the processes to be gone.
func requireGone(t *testing.T, pids []int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for _, pid := range pids {
		for proc.Running(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		assert.False(t, proc.Running(pid), "worker %d still runs %v after its parent was killed", pid, within)
	}
}

// TestWorkersDieWithTheirParent kills a parent with two busy workers with
// SIGKILL: the workers are gone soon after (the bound is generous; they
// go within milliseconds), where they used to run on for their whole task.
func TestWorkersDieWithTheirParent(t *testing.T) {
	if mode := os.Getenv(parentEnv); mode != "" {
		beParent(mode)
	}
	parent, pids := startParent(t, "plain")
	require.Len(t, pids, 2)
	require.NoError(t, parent.Process.Signal(syscall.SIGKILL))
	parent.Wait()
	requireGone(t, pids, 5*time.Second)
}

// TestParentDeathSignal is the same with the workers' input held open by
// another process, so that its end cannot tell them: the parent-death
// signal alone stops them.
func TestParentDeathSignal(t *testing.T) {
	if mode := os.Getenv(parentEnv); mode != "" {
		beParent(mode)
	}
	parent, pids := startParent(t, "hold")
	require.Len(t, pids, 3)
	workers, holder := pids[:2], pids[2]
	require.NoError(t, parent.Process.Signal(syscall.SIGKILL))
	parent.Wait()
	requireGone(t, workers, 5*time.Second)
	assert.True(t, proc.Running(holder), "the holder still holds the workers' input")
}

// TestWorkerOutlivesTheThreadThatStartedIt starts workers from a goroutine
// locked to its OS thread that then exits, so that the runtime ends the
// thread: the parent-death signal is the thread's, and the workers must
// not die with it.
func TestWorkerOutlivesTheThreadThatStartedIt(t *testing.T) {
	const k = 3 // started at once, on three threads, so at most one is the main thread (which is never ended)
	p := NewProcs(k, WorkerCommand)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	started := make(chan error)
	for lane := range k {
		go func() {
			// Never unlocked: the thread ends with the goroutine.
			runtime.LockOSThread()
			_, err := p.Do(context.Background(), lane, nil) // starts the lane's worker
			started <- err
		}()
	}
	for range k {
		require.NoError(t, <-started)
	}
	pids := p.Pids()
	require.Len(t, pids, k)
	time.Sleep(500 * time.Millisecond) // the threads have ended by now
	for lane := range k {
		res, err := p.Do(context.Background(), lane, []workload.Spec{{Kind: workload.KindPrimes, Hi: 100}})
		require.NoError(t, err, "lane %d: the worker still answers", lane)
		assert.Equal(t, "25", res[0].Output.Value)
	}
	assert.Equal(t, pids, p.Pids(), "the same workers")
}

// TestStopWaitsForTheReader cuts a call while its exchange reads the
// worker's output: the process is reaped only after the read has ended.
func TestStopWaitsForTheReader(t *testing.T) {
	p := NewProcs(1, WorkerCommand)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	require.NoError(t, p.Start())
	calls := 0
	testHookBeforeWait = func(l *procLane) {
		calls++
		assert.False(t, l.reading.Load(), "the process is reaped while its output is read")
	}
	t.Cleanup(func() { testHookBeforeWait = nil })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := p.Do(ctx, 0, []workload.Spec{busy[1]})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, calls)
}
