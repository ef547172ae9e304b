package runapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// gate is a writer that takes nothing until it is opened, as a client
// that does not read, then keeps what it is given.
type gate struct {
	open chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
	err  error
}

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return 0, g.err
	}
	return g.buf.Write(p)
}

// TestStreamDoesNotWaitForTheClient: lines are queued while the client
// reads nothing, then written in order, gathered into few writes.
func TestStreamDoesNotWaitForTheClient(t *testing.T) {
	g := &gate{open: make(chan struct{})}
	flushes := 0
	s := newStream(g, func() { flushes++ })
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := range 10_000 {
			s.send(map[string]int{"done": i})
		}
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		close(g.open)
		t.Fatal("send waited for the client")
	}
	close(g.open)
	s.close()
	lines := strings.Split(strings.TrimSuffix(g.buf.String(), "\n"), "\n")
	require.Len(t, lines, 10_000)
	for i, l := range lines {
		require.JSONEq(t, fmt.Sprintf(`{"done":%d}`, i), l)
	}
	assert.Less(t, flushes, 100, "lines gathered into few writes")
	s.send("late") // after close: dropped, never blocks
}

// TestStreamDropsLinesOnceTheClientIsGone: a failed write ends the
// writing, and send never waits again.
func TestStreamDropsLinesOnceTheClientIsGone(t *testing.T) {
	g := &gate{open: make(chan struct{}), err: errors.New("gone")}
	close(g.open)
	s := newStream(g, func() {})
	line := strings.Repeat("x", 1<<10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 3 * maxQueued / len(line) { // three times what may wait
			s.send(line)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("send waited for a client that is gone")
	}
	s.close()
}

// TestTenThousandConnections runs the connections demo's ten thousand
// waits through the API, whole and streamed: the answer is exact, every
// task is in the report, and streamed, each has its progress line, in
// order, before the report.
func TestTenThousandConnections(t *testing.T) {
	h := New(Options{})
	const n = 10_000
	want := strconv.Itoa((n - 1) * n * (2*n - 1) / 6) // Σ k² for 0 ≤ k < n: 333283335000
	rep := decodeReport(t, post(h, `{"demo":"connections","strategy":"goroutines"}`))
	require.Len(t, rep.Runs, 1)
	assert.Equal(t, want, rep.Runs[0].Result)
	assert.Len(t, rep.Runs[0].Tasks, 10_000)
	assert.NotNil(t, rep.Runs[0].Memory, "what a goroutine cost")

	w := post(h, `{"demo":"connections","strategy":"goroutines,pool","workers":5000}`, "Accept", NDJSON)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 64<<20)
	lines := 0
	var last struct {
		Type   string         `json:"type"`
		Done   int            `json:"done"`
		Total  int            `json:"total"`
		Report *report.Report `json:"report"`
	}
	for sc.Scan() {
		last.Report = nil
		require.NoError(t, json.Unmarshal(sc.Bytes(), &last))
		if last.Type == "progress" {
			lines++
			require.Equal(t, lines, last.Done)
			require.Equal(t, 20_000, last.Total)
		}
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, 20_000, lines, "a progress line a task")
	require.Equal(t, "report", last.Type)
	require.NotNil(t, last.Report)
	for _, r := range last.Report.Runs {
		assert.Equal(t, want, r.Result, r.Strategy)
	}
}

// TestAnswerBytesBoundTheAnswer: the bytes the API sizes an answer's
// write deadline by are at least what it wrote, whole, streamed and as a
// trace, for the connections demo's ten thousand tasks.
func TestAnswerBytesBoundTheAnswer(t *testing.T) {
	var mu sync.Mutex
	var sized []int64
	h := New(Options{WriteDeadline: func(wait time.Duration, n int64) time.Duration {
		assert.Equal(t, DefaultDeadline, wait)
		mu.Lock()
		defer mu.Unlock()
		sized = append(sized, n)
		return time.Minute
	}})
	body := `{"demo":"connections","strategy":"goroutines,pool","workers":5000,"runs":2%s}`
	for i, tc := range []struct {
		format string
		hdr    []string
	}{
		{"", nil},
		{"", []string{"Accept", NDJSON}},
		{`,"format":"trace"`, nil},
	} {
		w := post(h, fmt.Sprintf(body, tc.format), tc.hdr...)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		mu.Lock()
		require.Len(t, sized, i+1)
		t.Logf("answer %d: %d bytes, sized for %d", i, w.Body.Len(), sized[i])
		assert.GreaterOrEqual(t, sized[i], int64(w.Body.Len()))
		mu.Unlock()
	}
}
