package taskrun_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/report"
	"lanes/server/module"
	"lanes/server/taskrun"
	"lanes/site"
)

// run runs lanes run with args (which name a task) under a generous
// deadline, and returns its standard output and error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	if _, err := module.GoCommand(); err != nil {
		t.Fatal(err) // these tests build with the Go toolchain: the message says how to install it
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := taskrun.Run(ctx, args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// reportOf reads a --json report.
func reportOf(t *testing.T, stdout string) report.Report {
	t.Helper()
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), "stdout: %s", stdout)
	require.Equal(t, report.Schema, rep.Schema)
	require.Equal(t, demo.TaskID, rep.Demo)
	return rep
}

var allStrategies = func() []string {
	d, _ := demo.Lookup(demo.TaskID)
	return d.Strategies
}()

// TestSumOfSquaresEveryStrategy: a user's task gives the exact answer
// under every strategy, worker processes included, while it prints and
// reads: neither reaches the report or the workers' protocol, and its
// reads get nothing, even from a standard input that is open (a terminal
// nobody types into), where they would wait for ever.
func TestSumOfSquaresEveryStrategy(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdin := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = stdin; w.Close(); r.Close() }()
	stdout, stderr, err := run(t, "--task", "testdata/sumsq.go", "--strategy", "all", "--tasks", "6", "--workers", "2", "--json")
	require.NoError(t, err, "stderr: %s", stderr)
	rep := reportOf(t, stdout)
	require.Len(t, rep.Runs, len(allStrategies))
	want := sumSquaresBelow(3_000_000)
	for i, r := range rep.Runs {
		assert.Equal(t, allStrategies[i], r.Strategy)
		assert.Equal(t, want, r.Result, r.Strategy)
		assert.False(t, r.Partial, r.Strategy)
		assert.Empty(t, r.Error, r.Strategy)
		if r.Strategy == "workers" || r.Strategy == "partition" || r.Strategy == "chunked" {
			assert.Equal(t, report.WhereRemote, r.Where, r.Strategy)
		}
	}
	assert.Contains(t, stderr, "task 5 of 6 starts", "what a task prints goes to standard error")
	assert.Equal(t, "native", rep.Platform.Kind)
	assert.EqualValues(t, 6, rep.Params["tasks"])
	// The page's "Load a report" takes it, as any native report.
	loaded, err := site.ParseReport([]byte(stdout))
	require.NoError(t, err)
	assert.Equal(t, rep.Runs, loaded.Runs)
}

// TestPanicFailsAlone: the panicking task fails with its text under every
// strategy; the others give their values.
func TestPanicFailsAlone(t *testing.T) {
	stdout, stderr, err := run(t, "--task", "testdata/panics.go", "--strategy", "all", "--tasks", "5", "--json")
	var exit taskrun.ExitError
	require.ErrorAs(t, err, &exit, "a run with a failed task exits non-zero; stderr: %s", stderr)
	assert.Equal(t, 1, exit.Code)
	rep := reportOf(t, stdout)
	require.Len(t, rep.Runs, len(allStrategies))
	for _, r := range rep.Runs {
		assert.True(t, r.Partial, r.Strategy)
		assert.Contains(t, r.Error, "1 of 5 tasks failed; first: task 3: panic: assignment to entry in nil map", r.Strategy)
		for _, task := range r.Tasks {
			if task.ID == 3 {
				continue
			}
			assert.Equal(t, strconv.Itoa(task.ID*task.ID), task.Value, "%s task %d", r.Strategy, task.ID)
		}
	}
}

// TestForeverIsCut: a task that loops forever, deaf to ctx, is cut by the
// deadline under every strategy; the others keep their values, each
// repeat starts whole again, and no worker process outlives the run.
func TestForeverIsCut(t *testing.T) {
	start := time.Now()
	stdout, stderr, err := run(t, "--task", "testdata/forever.go", "--strategy", "all", "--tasks", "4",
		"--workers", "2", "--timeout", "1500ms", "--runs", "2", "--json")
	took := time.Since(start)
	require.NoError(t, err, "a run cut by its deadline is no failure; stderr: %s", stderr)
	rep := reportOf(t, stdout)
	require.Len(t, rep.Runs, len(allStrategies))
	for _, r := range rep.Runs {
		assert.True(t, r.Partial, r.Strategy)
		assert.Len(t, r.WallsMs, 2, "%s: both repeats ran", r.Strategy)
		for _, task := range r.Tasks {
			switch {
			case task.ID == 0:
				assert.NotEmpty(t, task.Error, "%s task 0 was cut", r.Strategy)
			case task.Error == "":
				assert.Equal(t, strconv.Itoa(task.ID*task.ID), task.Value, "%s task %d", r.Strategy, task.ID)
			}
		}
		assert.Less(t, r.WallMs, 60_000.0, "%s: the deadline cut the run", r.Strategy)
	}
	// Some strategy ran a task beside the endless one and kept its value.
	kept := 0
	for _, r := range rep.Runs {
		for _, task := range r.Tasks {
			if task.ID != 0 && task.Error == "" {
				kept++
			}
		}
	}
	assert.Positive(t, kept)
	assert.Less(t, took, 4*time.Minute)
	assert.Empty(t, taskProcesses(t), "worker processes outlived the run")
}

// taskProcesses lists the processes still running a program of
// lanes run --task (their executable in a lanes-task- directory), once
// those on their way out have gone: it waits up to 10 s for none.
func taskProcesses(t *testing.T) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // a killed worker takes a moment to go
	for {
		found := runningTasks()
		if len(found) == 0 || time.Now().After(deadline) {
			return found
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tmp is this test binary's own temporary directory (TMPDIR), where the
// programs of its runs are built: processes of other test binaries on the
// machine (another package's, another clone's suite) are not its own.
var tmp string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "taskrun-test-")
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir) // as /proc/PID/exe names it
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "taskrun tests: a temporary directory:", err)
		os.Exit(1)
	}
	tmp = dir + string(filepath.Separator)
	os.Setenv("TMPDIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runningTasks lists the processes running a program of lanes run --task
// that this test binary's runs built, now.
func runningTasks() []string {
	if tmp == "" {
		return nil
	}
	var found []string
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil // no /proc: nothing to check here
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && strings.HasPrefix(exe, tmp) && strings.Contains(exe, "lanes-task-") {
			found = append(found, e.Name()+" "+exe)
		}
	}
	return found
}

// TestBuildErrorsOnTheirLines: a file that does not build says where, as
// the go command would, on the file's own lines.
func TestBuildErrorsOnTheirLines(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		{"testdata/broken.go", []string{"testdata/broken.go:6:2: declared and not used: x", "testdata/broken.go:7:9: undefined: y"}},
		{"testdata/signature.go", []string{"testdata/signature.go:6:6: Task must be " + module.Signature + ": cannot use task.Task"}},
		{"testdata/nosuch.go", []string{}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			_, stderr, err := run(t, "--task", c.file, "--json")
			require.Error(t, err)
			assert.NotErrorAs(t, err, new(taskrun.ExitError))
			if len(c.want) == 0 {
				assert.ErrorContains(t, err, "no such file")
			}
			for _, w := range c.want {
				assert.Contains(t, stderr, w)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	assert.True(t, taskrun.Wants([]string{"--task", "x.go"}))
	assert.True(t, taskrun.Wants([]string{"--json", "-task=x.go"}))
	assert.False(t, taskrun.Wants([]string{"cpu-sumsq", "--tasks", "3"}))
	assert.False(t, taskrun.Wants([]string{"cpu-sumsq", "--", "--task", "x"}))
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	assert.ErrorContains(t, taskrun.Run(ctx, []string{"cpu-sumsq", "--task", "x.go"}, &stdout, &stderr), "name no demo")
	assert.ErrorContains(t, taskrun.Run(ctx, []string{"--task"}, &stdout, &stderr), "needs a file")
	assert.ErrorContains(t, taskrun.Run(ctx, []string{"--task", "a.go", "--task=b.go"}, &stdout, &stderr), "twice")
}

// TestProgramHasEveryPackage: the command line around a task lays out
// every package of Lanes' it imports.
func TestProgramHasEveryPackage(t *testing.T) {
	pkgs, err := taskrun.Program.Packages()
	require.NoError(t, err, "a package the command line imports is not embedded")
	assert.Contains(t, pkgs, "server/cli")
	assert.Contains(t, pkgs, "core/task")
	assert.NotContains(t, pkgs, "wasm/worker")
}

// sumSquaresBelow is Σ k² for 0 ≤ k < n by the closed form n(n-1)(2n-1)/6
// (core/internal/exact's, which packages outside core cannot import).
func sumSquaresBelow(n int64) string {
	b := big.NewInt(n)
	r := new(big.Int).Mul(b, big.NewInt(n-1))
	r.Mul(r, big.NewInt(2*n-1))
	return r.Quo(r, big.NewInt(6)).String()
}

// TestStopPrintsThePartialReport: stopping lanes run --task (Ctrl-C) while
// a task spins deaf to ctx stops the run, which still prints its report,
// partial, and leaves no process behind.
func TestStopPrintsThePartialReport(t *testing.T) {
	if _, err := module.GoCommand(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- taskrun.Run(ctx, []string{"--task", "testdata/forever.go", "--strategy", "workers,sequential", "--tasks", "3", "--json"}, &stdout, &stderr)
	}()
	// Stop once the run is under way: its program has started a worker.
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		require.Eventually(t, func() bool { return len(runningTasks()) >= 2 }, 3*time.Minute, 50*time.Millisecond,
			"the program and a worker process start")
		time.Sleep(500 * time.Millisecond)
	} else {
		time.Sleep(20 * time.Second) // no /proc to watch: time enough to build and start
	}
	cancel()
	select {
	case err := <-done:
		var exit taskrun.ExitError
		require.ErrorAs(t, err, &exit, "a stopped run exits non-zero; stderr: %s", stderr.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("the run did not stop")
	}
	assert.Contains(t, stderr.String(), "stopped; the report above is partial")
	rep := reportOf(t, stdout.String())
	require.NotEmpty(t, rep.Runs)
	assert.True(t, rep.Runs[0].Partial)
	assert.Empty(t, taskProcesses(t), "processes outlived the run")
}
