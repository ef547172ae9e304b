// Package workload holds the exact computations that Lanes' demos run: sums
// of squares beyond 64 bits, prime counts, downloads, hashes of downloaded
// bodies and timed waits. A Spec names one piece of work in a form that can
// cross a pipe or a postMessage, so the same work runs in a goroutine, in
// another OS process or in a Web Worker.
package workload

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
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
	KindWait       Kind = "wait"       // wait WaitMs, answer Lo
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
}

// IO reports whether the spec starts with a download.
func (s Spec) IO() bool { return s.Kind == KindFetch || s.Kind == KindFetchHash }

// An Output is what a finished task gives back. Value is a decimal string
// because sums exceed 64 bits.
type Output struct {
	Value string `json:"value"`
	Bytes int64  `json:"bytes,omitempty"`
}

// MaxBody is the largest body a fetch reads; a longer one is an error.
const MaxBody = 64 << 20

// A Runner runs specs in this process. The zero value uses
// http.DefaultClient for downloads.
type Runner struct {
	Client *http.Client
}

// Run does the work s names and returns its output. It returns ctx.Err()
// when ctx is done first.
func (r Runner) Run(ctx context.Context, s Spec) (Output, error) {
	switch s.Kind {
	case KindSumSquares:
		if s.Hi > MaxSumSquaresHi {
			return Output{}, fmt.Errorf("sumsq: hi %d above %d", s.Hi, uint64(MaxSumSquaresHi))
		}
		sum, err := SumSquares(ctx, s.Lo, s.Hi)
		return Output{Value: sum.String()}, err
	case KindPrimes:
		if s.Hi > MaxPrimesHi {
			return Output{}, fmt.Errorf("primes: hi %d above %d", s.Hi, uint64(MaxPrimesHi))
		}
		n, err := CountPrimes(ctx, s.Lo, s.Hi)
		return Output{Value: strconv.FormatUint(n, 10)}, err
	case KindFetch:
		body, err := r.Fetch(ctx, s.URL)
		return Output{Value: strconv.Itoa(len(body)), Bytes: int64(len(body))}, err
	case KindHash:
		h, err := Hash(ctx, s.Body, s.Rounds)
		return Output{Value: strconv.FormatUint(h, 10), Bytes: int64(len(s.Body))}, err
	case KindFetchHash:
		body, err := r.Fetch(ctx, s.URL)
		if err != nil {
			return Output{Bytes: int64(len(body))}, err
		}
		h, err := Hash(ctx, body, s.Rounds)
		return Output{Value: strconv.FormatUint(h, 10), Bytes: int64(len(body))}, err
	case KindWait:
		t := time.NewTimer(time.Duration(s.WaitMs * float64(time.Millisecond)))
		defer t.Stop()
		select {
		case <-t.C:
			return Output{Value: strconv.FormatUint(s.Lo, 10)}, nil
		case <-ctx.Done():
			return Output{}, ctx.Err()
		}
	}
	return Output{}, fmt.Errorf("workload: unknown kind %q", s.Kind)
}

// Fetch downloads url and returns its body. A status other than 200 is an
// error, and so is a body longer than MaxBody.
func (r Runner) Fetch(ctx context.Context, url string) ([]byte, error) {
	client := r.Client
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	// A download wants fresh bytes. In a browser this also lets the same
	// URL be fetched many times at once: without it, Chromium's cache lets
	// one request per URL through at a time, until the answer's headers
	// come, and the demo's ten copies of each target ran one by one.
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return body, err
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("GET %s: body longer than %d bytes", url, MaxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return body, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body, nil
}
