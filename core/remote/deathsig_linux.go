package remote

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// startWorker starts cmd with a parent-death signal: Linux sends the worker
// SIGKILL the moment its parent dies, however it dies (kill -9 included),
// so a worker never goes on computing for nobody. It returns what to call
// once the process has been reaped.
//
// Linux's "parent" is the thread that forked, not the process: a worker
// started from a thread that later exits would be killed with it. The Go
// runtime ends a thread only when a goroutine locked to it exits, which
// code elsewhere in the program (or a library) may do on any thread, so
// the workers are started from one goroutine locked to its thread, which
// stays alive, locked, as long as any worker started from it does.
func startWorker(cmd *exec.Cmd) (release func(), err error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	reqs := spawner.acquire()
	r := spawnRequest{cmd, make(chan error, 1)}
	reqs <- r
	if err := <-r.err; err != nil {
		spawner.release()
		return nil, err
	}
	return sync.OnceFunc(spawner.release), nil
}

// spawner is the goroutine that starts the workers, and the count of the
// workers alive that it started.
var spawner spawnThread

type spawnThread struct {
	mu   sync.Mutex
	live int
	reqs chan spawnRequest
}

type spawnRequest struct {
	cmd *exec.Cmd
	err chan error
}

// acquire counts one more worker and returns the spawning goroutine's
// requests, starting the goroutine if there is none.
func (s *spawnThread) acquire() chan<- spawnRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live == 0 {
		s.reqs = make(chan spawnRequest)
		go spawn(s.reqs)
	}
	s.live++
	return s.reqs
}

// release counts one worker fewer; the spawning goroutine ends with the
// last (every process it forked has been reaped, so its thread may go).
func (s *spawnThread) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live--; s.live == 0 {
		close(s.reqs)
	}
}

func spawn(reqs <-chan spawnRequest) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for r := range reqs {
		r.err <- r.cmd.Start()
	}
}
