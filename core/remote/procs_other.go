//go:build !js

package remote

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"lanes/core/workload"
)

// Procs is a Pool of OS processes, each running Serve over its standard
// input and output. Processes start on first use (or with Start) and are
// replaced after they die or are stopped.
//
// A worker does not outlive this process: on Linux it gets SIGKILL when
// this process dies (a parent-death signal; see startWorker), and
// everywhere its input ends then, which a worker of MainIfWorker takes as
// the order to cut its work and exit.
type Procs struct {
	command func() *exec.Cmd
	lanes   []*procLane
}

type procLane struct {
	mu      sync.Mutex // one request at a time
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stdout  *bufio.Reader
	pipe    io.Closer // stdout's read end, under the bufio.Reader
	release func()    // after the process is reaped (see startWorker)
	nextID  uint64
	// reading is true while a goroutine exchanges a request with the
	// process: the process is reaped (and its pipes closed) only after.
	reading atomic.Bool
}

// Grace periods of stopping a worker.
const (
	// closeGrace is how long Close lets a worker exit by itself once its
	// input has ended (a worker of MainIfWorker takes milliseconds) before
	// killing it.
	closeGrace = 3 * time.Second
	// readerGrace is how long stop waits, after the kill, for the output
	// to end, before closing its end itself: a process the worker left
	// behind could hold the output open.
	readerGrace = 2 * time.Second
)

// testHookBeforeWait, when set by a test, is called just before a lane's
// process is reaped.
var testHookBeforeWait func(*procLane)

// LendProcs lends k worker processes, started by command, for one run (the
// shape of demo.Env's Pool): they are started for it, so their start-up is
// part of the run's time, and stopped when it gives them back.
func LendProcs(command func() *exec.Cmd) func(k int) (*Procs, func(), error) {
	return func(k int) (*Procs, func(), error) {
		p := NewProcs(k, command)
		return p, func() { p.Close() }, nil
	}
}

// NewProcs returns a pool of size lanes whose workers are started by
// command, a fresh *exec.Cmd each time (for Lanes: the lanes binary with the
// "worker" argument).
func NewProcs(size int, command func() *exec.Cmd) *Procs {
	p := &Procs{command: command, lanes: make([]*procLane, size)}
	for i := range p.lanes {
		p.lanes[i] = &procLane{}
	}
	return p
}

// WorkerEnv is the environment variable that makes a process started by
// WorkerCommand a worker, whatever its arguments (a test binary too).
const WorkerEnv = "LANES_WORKER"

// WorkerParentEnv carries the process id of a worker's parent, so that a
// worker whose parent died before the parent-death signal was armed exits
// at once.
const WorkerParentEnv = "LANES_WORKER_PARENT"

// WorkerCommand runs this same executable as a worker: with the argument
// "worker" and WorkerEnv=1, so that MainIfWorker catches it first.
func WorkerCommand() *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	cmd := exec.Command(exe, "worker")
	cmd.Env = append(os.Environ(), WorkerEnv+"=1", WorkerParentEnv+"="+strconv.Itoa(os.Getpid()))
	return cmd
}

// MainIfWorker, called first thing in main (or TestMain), turns a process
// started by WorkerCommand into a worker (WorkerMain); in any other
// process it returns at once.
func MainIfWorker() {
	if os.Getenv(WorkerEnv) != "1" {
		return
	}
	WorkerMain()
}

// WorkerMain is the one way a process becomes a worker, whether started by
// WorkerCommand or as `lanes worker`: it serves requests on standard input
// and output with a default Runner until its input ends, then cuts the
// work in progress (nobody is left to answer: the parent closed the pipe
// or died) and exits.
//
// The worker ignores SIGINT: Ctrl-C in a terminal reaches the whole process
// group, and a worker that died of it would fail its task instead of letting
// the parent, which owns it, cut the task and stop it.
func WorkerMain() {
	signal.Ignore(os.Interrupt)
	if ppid := os.Getenv(WorkerParentEnv); ppid != "" && ppid != strconv.Itoa(os.Getppid()) {
		fmt.Fprintln(os.Stderr, "lanes worker: the parent process has gone")
		os.Exit(1)
	}
	if err := ServeStdio(context.Background(), workload.Runner{}); err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ServeStdio is a worker process's loop: Serve over standard input and
// output until the input ends — the parent closed it, or died — and then
// cuts the work in progress, whose answers nobody would read. It returns
// nil when the input ended, or the error that ended it.
//
// The two streams are the protocol's alone: while it serves, os.Stdout is
// standard error and os.Stdin reads nothing, so that a task that prints
// (a user's task may) cannot corrupt the answers, nor one that reads take
// the requests.
func ServeStdio(ctx context.Context, runner workload.Runner) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	in, out := os.Stdin, os.Stdout
	os.Stdout = os.Stderr
	if null, err := os.Open(os.DevNull); err == nil {
		os.Stdin = null
		defer null.Close()
	}
	defer func() { os.Stdin, os.Stdout = in, out }()
	err := Serve(ctx, runner, &cancelAtEnd{r: in, cancel: cancel}, out)
	if errors.Is(err, context.Canceled) && errors.Is(context.Cause(ctx), errInputEnded) {
		return nil
	}
	return err
}

var errInputEnded = errors.New("remote: the worker's input ended")

// cancelAtEnd reads r and cancels when r ends or fails.
type cancelAtEnd struct {
	r      io.Reader
	cancel context.CancelCauseFunc
}

func (c *cancelAtEnd) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil {
		c.cancel(errInputEnded)
	}
	return n, err
}

// Size returns the number of lanes.
func (p *Procs) Size() int { return len(p.lanes) }

// Start starts every lane's process that is not running.
func (p *Procs) Start() error {
	for _, l := range p.lanes {
		l.mu.Lock()
		err := l.start(p.command)
		l.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// Do implements Pool.
func (p *Procs) Do(ctx context.Context, lane int, specs []workload.Spec) ([]Result, error) {
	if lane < 0 || lane >= len(p.lanes) {
		panic(fmt.Sprintf("remote: lane %d outside pool of %d", lane, len(p.lanes)))
	}
	l := p.lanes[lane]
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := l.start(p.command); err != nil {
		return nil, err
	}
	l.nextID++
	req := Request{ID: l.nextID, Specs: specs}
	done := make(chan error, 1)
	var resp Response
	go func() { done <- l.exchange(req, &resp) }()
	select {
	case err := <-done:
		if err != nil {
			ended := l.stop(nil)
			if errors.Is(err, io.EOF) || errors.Is(err, syscall.EPIPE) {
				return nil, fmt.Errorf("worker process: %w", ended) // it died
			}
			return nil, fmt.Errorf("worker process: %w (stopped: %v)", err, ended)
		}
		return resp.Results, nil
	case <-ctx.Done():
		l.stop(done) // the kill unblocks exchange
		return nil, ctx.Err()
	}
}

// Close stops every lane's process: it closes the worker's input, which
// makes a worker of MainIfWorker cut its work and exit, and kills a worker
// still there closeGrace later. It waits for the calls under way on each
// lane to return first (cancel their contexts to hurry them).
func (p *Procs) Close() error {
	var errs []error
	for _, l := range p.lanes {
		l.mu.Lock()
		if l.cmd != nil {
			errs = append(errs, l.close())
		}
		l.mu.Unlock()
	}
	return errors.Join(errs...)
}

// close ends the lane's input, waits up to closeGrace for the process to
// exit and kills it if it has not, and reaps it.
func (l *procLane) close() error {
	l.stdin.Close()
	waited := make(chan error, 1)
	go func() { waited <- l.cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(closeGrace):
		l.cmd.Process.Kill()
		<-waited
		err = fmt.Errorf("worker process %d: still running %v after its input ended; killed", l.cmd.Process.Pid, closeGrace)
	}
	l.reaped()
	return err
}

// Pids returns the process ids of the running workers, for tests.
func (p *Procs) Pids() []int {
	var pids []int
	for _, l := range p.lanes {
		l.mu.Lock()
		if l.cmd != nil {
			pids = append(pids, l.cmd.Process.Pid)
		}
		l.mu.Unlock()
	}
	return pids
}

func (l *procLane) start(command func() *exec.Cmd) error {
	if l.cmd != nil {
		return nil
	}
	cmd := command()
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	release, err := startWorker(cmd)
	if err != nil {
		stdin.Close()
		stdout.Close()
		return fmt.Errorf("start worker process: %w", err)
	}
	l.cmd, l.stdin, l.stdout, l.pipe, l.release = cmd, stdin, bufio.NewReaderSize(stdout, 64<<10), stdout, release
	return nil
}

func (l *procLane) exchange(req Request, resp *Response) error {
	l.reading.Store(true)
	defer l.reading.Store(false)
	if err := json.NewEncoder(l.stdin).Encode(req); err != nil {
		return err
	}
	line, err := l.stdout.ReadBytes('\n')
	if err != nil {
		return err
	}
	if err := json.Unmarshal(line, resp); err != nil {
		return err
	}
	if resp.ID != req.ID || len(resp.Results) != len(req.Specs) {
		return fmt.Errorf("answer %d with %d results to request %d of %d specs",
			resp.ID, len(resp.Results), req.ID, len(req.Specs))
	}
	return nil
}

// stop kills the lane's process, reaps it and says how it ended. When an
// exchange may still be under way, exchanged is its result: stop waits for
// it before reaping, because reaping closes the pipes the exchange reads
// and writes (os/exec: Wait only after all reads from StdoutPipe are done).
func (l *procLane) stop(exchanged <-chan error) error {
	if l.cmd == nil {
		return errors.New("not running")
	}
	l.cmd.Process.Kill()
	if exchanged != nil {
		select {
		case <-exchanged: // the output ended with the process
		case <-time.After(readerGrace):
			// Something the worker left behind holds its pipes open.
			l.pipe.Close()
			l.stdin.Close()
			<-exchanged
		}
	}
	if testHookBeforeWait != nil {
		testHookBeforeWait(l)
	}
	err := l.cmd.Wait()
	l.reaped()
	if err == nil {
		err = errors.New("exited")
	}
	return err
}

// reaped forgets the lane's process once it has been waited for.
func (l *procLane) reaped() {
	l.cmd = nil
	l.release()
	l.release = nil
}
