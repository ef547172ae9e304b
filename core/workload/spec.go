// Package workload holds the exact computations that Lanes' demos run: sums
// of squares beyond 64 bits, prime counts, downloads, hashes of downloaded
// bodies and timed waits. A Spec names one piece of work in a form that can
// cross a pipe or a postMessage, so the same work runs in a goroutine, in
// another OS process or in a Web Worker.
package workload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"sync"
	"time"

	"lanes/core/report"
)

// Kind names a computation.
type Kind string

// The kinds of work.
const (
	KindSumSquares Kind = "sumsq"      // Σ i² for Lo ≤ i < Hi
	KindPrimes     Kind = "primes"     // primes p with Lo ≤ p < Hi
	KindFetch      Kind = "fetch"      // GET URL, count the body's bytes
	KindHash       Kind = "hash"       // FNV-1a of Body, Rounds times
	KindFetchHash  Kind = "fetch-hash" // GET URL, then hash its body Rounds times
	KindWait       Kind = "wait"       // wait WaitMs, then answer Answer
	KindTask       Kind = "task"       // the registered task (SetTask), task I of N
)

// A Spec is one task's work, serialisable as JSON.
type Spec struct {
	Kind   Kind    `json:"kind"`
	Lo     uint64  `json:"lo,omitempty"`
	Hi     uint64  `json:"hi,omitempty"`
	URL    string  `json:"url,omitempty"`
	Rounds int     `json:"rounds,omitempty"`
	Body   []byte  `json:"body,omitempty"`
	WaitMs float64 `json:"wait_ms,omitempty"`
	// Answer is what a wait gives back, so that its value can be checked.
	Answer uint64 `json:"answer,omitempty"`
	// I and N are a user's task's number and the run's count of tasks
	// (KindTask).
	I int `json:"i,omitempty"`
	N int `json:"n,omitempty"`
}

// IO reports whether the spec starts with a download.
func (s Spec) IO() bool { return s.Kind == KindFetch || s.Kind == KindFetchHash }

// An Output is what a finished task gives back. Value is a decimal string
// because sums exceed 64 bits.
type Output struct {
	Value string `json:"value"`
	Bytes int64  `json:"bytes,omitempty"`
	// Phases is what the work did, in ms from its own start (Runner.Run
	// and Runner.Download record them): waiting on I/O from a request to
	// its response's headers, transferring its body, computing, waiting a
	// wait's time. They travel with the output from a worker, and its
	// recorder places them on the run's clock.
	Phases []report.Phase `json:"phases,omitempty"`
}

// MaxBody is the largest body a fetch reads; a longer one is an error.
const MaxBody = 64 << 20

// FetchTimeout bounds one download, from the request to the body's last
// byte, unless a Runner says otherwise: a 64 MiB body at 220 kB/s.
const FetchTimeout = 5 * time.Minute

// FetchHeaderTimeout bounds the wait for a download's response headers in
// the native default client: above the built-in targets' longest delay
// (10 s, delay and jitter together) with room for a busy machine.
const FetchHeaderTimeout = 30 * time.Second

// A Runner runs specs in this process. The zero value downloads with a
// default client natively, one whose transport waits at most
// FetchHeaderTimeout for headers; in the browser it needs wasm/fetch's
// Client (see Client).
type Runner struct {
	Client Client
	// Timeout bounds each download, body included; 0 means FetchTimeout.
	Timeout time.Duration
}

// Run does the work s names and returns its output, with the phases it
// went through. It returns ctx.Err() when ctx is done first.
func (r Runner) Run(ctx context.Context, s Spec) (Output, error) {
	ctx, phases := withPhases(ctx)
	out, err := r.run(ctx, s)
	out.Phases = phases.Done()
	return out, err
}

func (r Runner) run(ctx context.Context, s Spec) (Output, error) {
	switch s.Kind {
	case KindSumSquares:
		if s.Hi > MaxSumSquaresHi {
			return Output{}, fmt.Errorf("sumsq: hi %d above %d", s.Hi, uint64(MaxSumSquaresHi))
		}
		enter(ctx, report.StateCompute)
		sum, err := SumSquares(ctx, s.Lo, s.Hi)
		return Output{Value: sum.String()}, err
	case KindPrimes:
		if s.Hi > MaxPrimesHi {
			return Output{}, fmt.Errorf("primes: hi %d above %d", s.Hi, uint64(MaxPrimesHi))
		}
		enter(ctx, report.StateCompute)
		n, err := CountPrimes(ctx, s.Lo, s.Hi)
		return Output{Value: strconv.FormatUint(n, 10)}, err
	case KindFetch:
		n, err := r.Count(ctx, s.URL)
		return Output{Value: strconv.FormatInt(n, 10), Bytes: n}, err
	case KindHash:
		enter(ctx, report.StateCompute)
		h, err := Hash(ctx, s.Body, s.Rounds)
		return Output{Value: strconv.FormatUint(h, 10), Bytes: int64(len(s.Body))}, err
	case KindFetchHash:
		return r.fetchHash(ctx, s)
	case KindWait:
		return wait(ctx, s.WaitMs, s.Answer)
	case KindTask:
		return runTask(ctx, s)
	}
	return Output{}, fmt.Errorf("workload: unknown kind %q", s.Kind)
}

// The kinds whose work takes more than a few lines have functions of
// their own, so that run's stack frame stays small: each of the
// connections demo's 10,000 goroutines holds it while it waits. With the
// wait inside run (its frame 968 bytes in wasm, now 600 with wait's),
// many of their stacks grew twice, to 8 KB, and copying stacks took 28%
// of a wasm worker's time in a run of them; 20% after (profiles under
// Node).

func (r Runner) fetchHash(ctx context.Context, s Spec) (Output, error) {
	if s.Rounds <= 1 { // one pass: hash the body as it streams
		h := fnv.New64a()
		n, err := r.fetch(ctx, s.URL, h, nil)
		if err != nil {
			return Output{Bytes: n}, err
		}
		if s.Rounds <= 0 {
			h.Reset()
		}
		return Output{Value: strconv.FormatUint(h.Sum64(), 10), Bytes: n}, ctx.Err()
	}
	d, err := r.download(ctx, s) // held: every round goes over the whole body
	defer d.Release()
	if err != nil {
		return d.Output, err
	}
	return r.run(ctx, *d.Rest)
}

// wait waits ms, then answers.
func wait(ctx context.Context, ms float64, answer uint64) (Output, error) {
	enter(ctx, report.StateIOWait)
	t := time.NewTimer(time.Duration(ms * float64(time.Millisecond)))
	defer t.Stop()
	select {
	case <-t.C:
		return Output{Value: strconv.FormatUint(answer, 10)}, nil
	case <-ctx.Done():
		return Output{}, ctx.Err()
	}
}

// Fetch downloads url and returns its body, held against the process's
// budget (MaxHeld) until release is called; release may be called more
// than once. A status other than 200 is an error, and so is a body longer
// than MaxBody, and a download that takes longer than the Runner's
// Timeout; every error names the URL, and leaves nothing held. To count a
// body's bytes without holding it, use Count.
//
// The bytes are taken from the budget when the response's headers come:
// its Content-Length, or MaxBody when it has none (then what the body did
// not use goes back as soon as it has been read).
func (r Runner) Fetch(ctx context.Context, url string) (body []byte, release func(), err error) {
	h := &holder{}
	var buf bytes.Buffer
	_, err = r.fetch(ctx, url, &buf, h)
	if err != nil {
		h.release()
		if errors.Is(err, errTooLong) {
			return nil, func() {}, err
		}
		return buf.Bytes(), func() {}, err
	}
	h.keep(int64(buf.Len()))
	return buf.Bytes(), h.release, nil
}

// A holder is one download's share of the held budget.
type holder struct {
	mu   sync.Mutex
	took int64
}

// take takes the bytes a body of length n (-1: unknown) may need.
func (h *holder) take(ctx context.Context, n int64) error {
	if n < 0 || n > MaxBody {
		n = MaxBody
	}
	if err := held.take(ctx, n); err != nil {
		return err
	}
	h.mu.Lock()
	h.took += n
	h.mu.Unlock()
	return nil
}

// keep gives back what was taken beyond the n bytes the body has.
func (h *holder) keep(n int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.took > n {
		held.give(h.took - n)
		h.took = n
	}
}

func (h *holder) release() { h.keep(0) }

// A Download is what is left of a spec that starts with a download once
// the download is done (see Runner.Download).
type Download struct {
	// Output is a fetch's result, or for a fetch-hash the body's length
	// (Bytes) alone.
	Output Output
	// Rest is the work left, a hash of the body, for a fetch-hash; nil for
	// a fetch, which is done.
	Rest *Spec
	// Release gives the body's bytes back to the budget, once Rest has
	// run (or will not).
	Release func()
}

// Download runs the I/O stage of s, a spec that starts with a download
// (s.IO()), so that its CPU stage can run elsewhere, as the hybrid and
// the server's worker pool do: a fetch is done whole, its body counted as
// it streams and never held; a fetch-hash's body is held (see Fetch) and
// comes back in Rest, the hash spec still to run. On an error the Download
// still says the bytes read, and holds nothing. Its Output has the
// download's phases.
func (r Runner) Download(ctx context.Context, s Spec) (Download, error) {
	ctx, phases := withPhases(ctx)
	d, err := r.download(ctx, s)
	d.Output.Phases = phases.Done()
	return d, err
}

func (r Runner) download(ctx context.Context, s Spec) (Download, error) {
	switch s.Kind {
	case KindFetch:
		n, err := r.Count(ctx, s.URL)
		d := Download{Output: Output{Bytes: n}, Release: func() {}}
		if err == nil {
			d.Output.Value = strconv.FormatInt(n, 10)
		}
		return d, err
	case KindFetchHash:
		body, release, err := r.Fetch(ctx, s.URL)
		d := Download{Output: Output{Bytes: int64(len(body))}, Release: release}
		if err == nil {
			d.Rest = &Spec{Kind: KindHash, Body: body, Rounds: s.Rounds}
		}
		return d, err
	}
	return Download{Release: func() {}}, fmt.Errorf("workload: %q starts with no download", s.Kind)
}

// Count downloads url as Fetch does and returns the body's length, counted
// as it streams: it never holds more than a buffer's worth of the body.
func (r Runner) Count(ctx context.Context, url string) (int64, error) {
	return r.fetch(ctx, url, io.Discard, nil)
}

// errTooLong stops a body past MaxBody.
var errTooLong = fmt.Errorf("body longer than %d bytes", MaxBody)

// fetch downloads url into w and returns the body's length; with a
// holder, it first takes the bytes the body may need from the held budget.
func (r Runner) fetch(ctx context.Context, url string, w io.Writer, h *holder) (int64, error) {
	client := r.Client
	if client == nil {
		client = defaultClient
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = FetchTimeout
	}
	expired := fmt.Errorf("GET %s: timed out after %v", url, timeout)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, expired)
	defer cancel()
	enter(ctx, report.StateIOWait)
	resp, err := client.Get(ctx, url) // fresh bytes, not the cache's (see Client)
	if err != nil {
		return 0, timedOut(ctx, expired, err)
	}
	defer resp.Body.Close()
	enter(ctx, report.StateTransfer)
	if h != nil {
		if err := h.take(ctx, resp.ContentLength); err != nil {
			return 0, fmt.Errorf("GET %s: waiting for memory to hold the body: %w", url, timedOut(ctx, expired, err))
		}
	}
	if buf, ok := w.(*bytes.Buffer); ok && resp.ContentLength > 0 && resp.ContentLength <= MaxBody {
		buf.Grow(int(resp.ContentLength)) // one allocation, not ReadAll's doublings
	}
	n, err := io.Copy(w, &capped{r: resp.Body, left: MaxBody})
	if errors.Is(err, errTooLong) {
		return n, fmt.Errorf("GET %s: %w", url, err)
	}
	if err != nil {
		return n, fmt.Errorf("GET %s: reading the body: %w", url, timedOut(ctx, expired, err))
	}
	if resp.StatusCode != 200 {
		return n, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return n, nil
}

// timedOut is err, or the download's own timeout, expired (which names
// the URL), when that is what ended it.
func timedOut(ctx context.Context, expired, err error) error {
	if context.Cause(ctx) == expired {
		return fmt.Errorf("%w (%v)", expired, err)
	}
	return err
}

// capped reads r and fails with errTooLong past left bytes.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLong
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return n - 1, errTooLong // one byte over: the body is too long
	}
	return n, err
}
