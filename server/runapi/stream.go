package runapi

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// A stream writes a streamed answer's lines from a goroutine of its own,
// so that a client that reads slowly does not hold up the run: progress
// lines come from the goroutine that delivers the run's results, and a
// write that waited for the client would delay every later delivery, and
// the run's measured times with it (a pool of 10,000 waits read at
// 100 kB/s took 15.9 s instead of 2.0). Lines wait in memory, up to
// maxQueued bytes, past which the run waits for the client after all. The
// writer gathers the lines that come within streamEvery into one write and
// one flush, not one of each a line; once the client is gone it drops
// them.
type stream struct {
	w     io.Writer
	flush func()

	mu     sync.Mutex
	cond   *sync.Cond
	queued []byte // encoded lines not yet written
	closed bool
	failed bool // a write failed: the client is gone
	done   chan struct{}
}

// maxQueued bounds the bytes of lines waiting for a slow client: a run's
// progress lines are about 215 bytes a task (more with phases), so the
// lines of several runs of ten thousand tasks fit.
const maxQueued = 16 << 20

// streamEvery is how long the writer gathers lines before it writes them.
const streamEvery = 20 * time.Millisecond

func newStream(w io.Writer, flush func()) *stream {
	s := &stream{w: w, flush: flush, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.write()
	return s
}

// send queues v as one line. It waits while maxQueued bytes are queued.
func (s *stream) send(v any) {
	line, err := json.Marshal(v)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queued) > maxQueued && !s.failed && !s.closed {
		s.cond.Wait()
	}
	if s.failed || s.closed {
		return
	}
	s.queued = append(append(s.queued, line...), '\n')
	s.cond.Broadcast()
}

// close writes what is queued and returns when it is written; lines sent
// after close are dropped.
func (s *stream) close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	<-s.done
}

func (s *stream) write() {
	defer close(s.done)
	for {
		s.mu.Lock()
		for len(s.queued) == 0 && !s.closed {
			s.cond.Wait()
		}
		closed := s.closed
		s.mu.Unlock()
		if !closed {
			time.Sleep(streamEvery) // gather the lines that follow
		}
		s.mu.Lock()
		batch := s.queued
		s.queued = nil
		s.cond.Broadcast() // room again for send
		s.mu.Unlock()
		if len(batch) > 0 && !s.failed {
			if _, err := s.w.Write(batch); err != nil {
				s.mu.Lock()
				s.failed = true
				s.cond.Broadcast()
				s.mu.Unlock()
			}
			s.flush()
		}
		if closed {
			return
		}
	}
}
