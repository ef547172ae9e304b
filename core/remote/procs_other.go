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
	"sync"
	"syscall"

	"lanes/core/workload"
)

// Procs is a Pool of OS processes, each running Serve over its standard
// input and output. Processes start on first use (or with Start) and are
// replaced after they die or are stopped.
type Procs struct {
	command func() *exec.Cmd
	lanes   []*procLane
}

type procLane struct {
	mu     sync.Mutex // one request at a time
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	nextID uint64
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

// WorkerCommand runs this same executable as a worker: with the argument
// "worker" and WorkerEnv=1, so that MainIfWorker catches it first.
func WorkerCommand() *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	cmd := exec.Command(exe, "worker")
	cmd.Env = append(os.Environ(), WorkerEnv+"=1")
	return cmd
}

// MainIfWorker, called first thing in main (or TestMain), turns a process
// started by WorkerCommand into a worker: it serves requests on standard
// input and output with a default Runner until its input ends, then exits.
//
// The worker ignores SIGINT: Ctrl-C in a terminal reaches the whole process
// group, and a worker that died of it would fail its task instead of letting
// the parent, which owns it, cut the task and stop it.
func MainIfWorker() {
	if os.Getenv(WorkerEnv) != "1" {
		return
	}
	signal.Ignore(os.Interrupt)
	if err := Serve(context.Background(), workload.Runner{}, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lanes worker:", err)
		os.Exit(1)
	}
	os.Exit(0)
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
			ended := l.stop()
			if errors.Is(err, io.EOF) || errors.Is(err, syscall.EPIPE) {
				return nil, fmt.Errorf("worker process: %w", ended) // it died
			}
			return nil, fmt.Errorf("worker process: %w (stopped: %v)", err, ended)
		}
		return resp.Results, nil
	case <-ctx.Done():
		l.stop() // unblocks exchange
		<-done
		return nil, ctx.Err()
	}
}

// Close stops every lane's process.
func (p *Procs) Close() error {
	var errs []error
	for _, l := range p.lanes {
		l.mu.Lock()
		if l.cmd != nil {
			l.stdin.Close() // a worker exits when its input ends
			if err := l.cmd.Wait(); err != nil {
				errs = append(errs, err)
			}
			l.cmd = nil
		}
		l.mu.Unlock()
	}
	return errors.Join(errs...)
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
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start worker process: %w", err)
	}
	l.cmd, l.stdin, l.stdout = cmd, stdin, bufio.NewReaderSize(stdout, 64<<10)
	return nil
}

func (l *procLane) exchange(req Request, resp *Response) error {
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

// stop kills the lane's process, reaps it and says how it ended.
func (l *procLane) stop() error {
	if l.cmd == nil {
		return errors.New("not running")
	}
	l.cmd.Process.Kill()
	err := l.cmd.Wait()
	l.cmd = nil
	if err == nil {
		err = errors.New("exited")
	}
	return err
}
