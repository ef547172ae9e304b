package runapi

import (
	"bufio"
	"context"
	"encoding/json"
	"hash/fnv"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/target"
	"lanes/core/trace"
	"lanes/core/workload"
)

// TestMain lets this test binary serve as the worker processes it starts.
func TestMain(m *testing.M) {
	remote.MainIfWorker()
	os.Exit(m.Run())
}

func post(h http.Handler, body string, hdr ...string) *httptest.ResponseRecorder {
	return postFrom(h, "192.0.2.1:1234", body, hdr...)
}

func postFrom(h http.Handler, client, body string, hdr ...string) *httptest.ResponseRecorder {
	return postUntil(context.Background(), h, client, body, hdr...)
}

// postUntil is postFrom by a client that leaves when ctx is done.
func postUntil(ctx context.Context, h http.Handler, client, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/run", strings.NewReader(body))
	req.RemoteAddr = client
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func decodeReport(t *testing.T, w *httptest.ResponseRecorder) report.Report {
	t.Helper()
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var rep report.Report
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &rep))
	assert.Equal(t, report.Schema, rep.Schema)
	assert.Equal(t, "native", rep.Platform.Kind)
	return rep
}

func TestExactAnswers(t *testing.T) {
	h := New(Options{})
	for _, tc := range []struct {
		body       string
		strategies []string
		result     string
	}{
		{`{"demo":"cpu-sumsq","strategy":"sequential,workers","size":100000000}`, []string{"sequential", "workers"}, "333333328333333350000000"},
		{`{"demo":"cpu-sumsq","strategy":"goroutines,partition","size":"1e8","workers":"2"}`, []string{"goroutines", "partition"}, "333333328333333350000000"},
		{`{"demo":"cpu-primes","size":1e6,"strategy":"all"}`, []string{"sequential", "pool", "goroutines", "semaphore", "workers", "partition"}, "78498"},
		{`{"demo":"io-download"}`, []string{"sequential", "pool", "goroutines"}, "106710"},
		{`{"demo":"io-download","strategy":"workers","latency":0}`, []string{"workers"}, "106710"},
		{`{"demo":"io-download","strategy":"goroutines","latency":"0ms","target":"http://lanes.internal/t/a?bytes=5"}`, []string{"goroutines"}, "100"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			rep := decodeReport(t, post(h, tc.body))
			require.Len(t, rep.Runs, len(tc.strategies))
			for i, run := range rep.Runs {
				assert.Equal(t, tc.strategies[i], run.Strategy)
				assert.Equal(t, tc.result, run.Result, run.Error)
				assert.False(t, run.Partial)
				assert.Empty(t, run.Error)
			}
		})
	}
}

// TestPipelineAgreesEverywhere runs the hybrid lesson with every strategy:
// the worker processes hash bodies downloaded here, and every strategy
// finds the total of the six hashes, worked out here with hash/fnv.
func TestPipelineAgreesEverywhere(t *testing.T) {
	rep := decodeReport(t, post(New(Options{}), `{"demo":"pipeline","strategy":"all","tasks":6,"size":50,"latency":0}`))
	require.Len(t, rep.Runs, 5)
	// Tasks alternate between the two default targets.
	want := new(big.Int)
	for k := range 6 {
		body := target.Body(target.BigName, target.BigBytes)
		if k%2 == 1 {
			body = target.Body(target.SmallName, target.SmallBytes)
		}
		h := fnv.New64a()
		for range 50 {
			h.Write(body)
		}
		want.Add(want, new(big.Int).SetUint64(h.Sum64()))
	}
	for _, run := range rep.Runs {
		assert.Empty(t, run.Error, run.Strategy)
		assert.Equal(t, want.String(), run.Result, run.Strategy)
		for _, task := range run.Tasks {
			assert.Positive(t, task.Bytes, "%s task %d", run.Strategy, task.ID)
		}
	}
}

// fakePool records the specs it is sent and answers each with its kind.
type fakePool struct {
	mu    sync.Mutex
	specs []workload.Spec
}

func (f *fakePool) Size() int { return 4 }
func (f *fakePool) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	f.mu.Lock()
	f.specs = append(f.specs, specs...)
	f.mu.Unlock()
	out := make([]remote.Result, len(specs))
	for i, s := range specs {
		out[i] = remote.Result{Output: workload.Output{Value: string(s.Kind)}, StartMs: 1, EndMs: 2}
	}
	return out, nil
}
func (f *fakePool) Close() error { return nil }

func TestWorkersNeverDownload(t *testing.T) {
	fake := &fakePool{}
	p := ioPool{Pool: fake, runner: runner()}
	url := TargetBase + "/t/page?bytes=10"
	res, err := p.Do(context.Background(), 0, []workload.Spec{
		{Kind: workload.KindFetch, URL: url},
		{Kind: workload.KindFetchHash, URL: url, Rounds: 3},
		{Kind: workload.KindSumSquares, Lo: 0, Hi: 10},
		{Kind: workload.KindFetch, URL: "http://127.0.0.1:1/"},
	})
	require.NoError(t, err)
	require.Len(t, res, 4)
	assert.Equal(t, "10", res[0].Output.Value)
	assert.Equal(t, int64(10), res[0].Output.Bytes)
	assert.Equal(t, string(workload.KindHash), res[1].Output.Value)
	assert.Equal(t, int64(10), res[1].Output.Bytes)
	assert.Equal(t, string(workload.KindSumSquares), res[2].Output.Value)
	assert.Contains(t, res[3].Error, "only its built-in targets")
	for _, s := range fake.specs {
		assert.False(t, s.IO(), "a worker was sent a download: %+v", s)
	}
	assert.Len(t, fake.specs, 2)
}

func TestInProcessTransportRefusesOtherHosts(t *testing.T) {
	c := runner().Client
	for _, u := range []string{"http://127.0.0.1:1/t/x", "https://lanes.internal/t/x", "http://lanes.internal/etc", "http://lanes.internal.evil/t/x"} {
		_, err := c.Get(context.Background(), u)
		assert.ErrorIs(t, err, ErrNotBuiltIn, u)
	}
	resp, err := c.Get(context.Background(), TargetBase+"/t/x?bytes=-1")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestBadRequests(t *testing.T) {
	h := New(Options{MaxBody: 512})
	for _, tc := range []struct {
		name, body string
		status     int
		says       string
	}{
		{"empty", ``, 400, "empty"},
		{"not JSON", `demo=cpu-sumsq`, 400, "JSON"},
		{"array", `["cpu-sumsq"]`, 400, "object"},
		{"string", `"cpu-sumsq"`, 400, "object"},
		{"nested", `{"demo":"cpu-sumsq","size":{"n":1}}`, 400, "size: want a string or a number"},
		{"list", `{"demo":"cpu-sumsq","strategy":["sequential"]}`, 400, "strategy"},
		{"null", `{"demo":null}`, 400, "demo"},
		{"bool", `{"demo":"cpu-sumsq","autorun":true}`, 400, "autorun"},
		{"duplicate", `{"demo":"cpu-sumsq","size":1,"size":2}`, 400, "twice"},
		{"trailing", `{"demo":"cpu-sumsq"} {}`, 400, "after"},
		{"cut short", `{"demo":"cpu-sumsq"`, 400, "JSON"},
		{"no demo", `{"size":5}`, 400, "demo: missing"},
		{"unknown demo", `{"demo":"bitcoin"}`, 400, "want one of"},
		{"a user's task", `{"demo":"task","tasks":2}`, 400, "never on this server"},
		{"unknown parameter", `{"demo":"cpu-sumsq","rounds":5}`, 400, "no such parameter"},
		{"unknown strategy", `{"demo":"cpu-sumsq","strategy":"threads"}`, 400, "strategy"},
		{"negative", `{"demo":"cpu-sumsq","size":-1}`, 400, "size"},
		{"fraction", `{"demo":"cpu-sumsq","size":1.5}`, 400, "size"},
		{"huge number", `{"demo":"cpu-sumsq","size":1e400}`, 400, "size"},
		{"over the demo's bound", `{"demo":"cpu-primes","size":1e10}`, 400, "size"},
		{"over the server's size cap", `{"demo":"cpu-sumsq","size":2e9}`, 400, "this server runs at most"},
		{"over the server's workers cap", `{"demo":"cpu-sumsq","workers":5}`, 400, "this server runs at most 4"},
		{"over the server's tasks cap", `{"demo":"cpu-sumsq","tasks":300}`, 400, "this server runs at most 256"},
		{"over the server's runs cap", `{"demo":"cpu-sumsq","runs":6}`, 400, "runs=6: this server runs at most 5"},
		{"over the demo's runs bound", `{"demo":"cpu-sumsq","runs":21}`, 400, "want a whole number from 1 to 20"},
		{"over the server's latency cap", `{"demo":"io-download","latency":"5s"}`, 400, "latency"},
		{"over the deadline", `{"demo":"cpu-sumsq","timeout":"120s"}`, 400, "timeout"},
		{"outside target", `{"demo":"io-download","target":"http://169.254.169.254/"}`, 400, "built-in targets"},
		{"outside target among built-in ones", `{"demo":"io-download","target":"http://lanes.internal/t/a,http://127.0.0.1:8080/t/a"}`, 400, "built-in targets"},
		{"huge target", `{"demo":"io-download","target":"http://lanes.internal/t/a?bytes=10485760"}`, 400, "at most 262144"},
		{"slow target", `{"demo":"io-download","target":"http://lanes.internal/t/a?delay=5s"}`, 400, "waits at most"},
		{"bad target", `{"demo":"io-download","target":"http://lanes.internal/t/a?bytes=-1"}`, 400, "bytes"},
		{"target with userinfo", `{"demo":"io-download","target":"http://x@lanes.internal/t/a"}`, 400, "built-in targets"},
		{"target elsewhere on the host", `{"demo":"io-download","target":"http://lanes.internal/api/run"}`, 400, "built-in targets"},
		{"too large", `{"demo":"cpu-sumsq","pad":"` + strings.Repeat("x", 600) + `"}`, 413, "over 512 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := post(h, tc.body)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			var e struct{ Error string }
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
			assert.Contains(t, e.Error, tc.says)
		})
	}
}

func TestMethodAndContentType(t *testing.T) {
	h := New(Options{})
	req := httptest.NewRequest(http.MethodGet, "/api/run", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "POST", w.Header().Get("Allow"))
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		w := post(h, `{"demo":"cpu-sumsq","size":10}`, "Content-Type", ct)
		assert.Equal(t, http.StatusUnsupportedMediaType, w.Code, ct)
	}
	w = post(h, `{"demo":"cpu-sumsq","size":10,"strategy":"sequential"}`, "Content-Type", "application/json; charset=utf-8")
	assert.Equal(t, http.StatusOK, w.Code)
}

func TestOff(t *testing.T) {
	w := post(New(Options{Off: true}), `{"demo":"cpu-sumsq","size":10}`)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, w.Body.String(), "turned off")
}

// slowRun lasts until its client leaves: one wait task of 8 s. Its end is
// the test's to choose, not a timeout's, which a busy machine could let
// pass before the test's next steps.
const slowRun = `{"demo":"order","strategy":"ordered","tasks":1,"latency":"2s"}`

// slowClient starts slowRun from client and returns a function that makes
// the client leave and returns the answer it got.
func slowClient(h http.Handler, client string) (leave func() *httptest.ResponseRecorder) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() { done <- postUntil(ctx, h, client, slowRun) }()
	return func() *httptest.ResponseRecorder {
		cancel()
		return <-done
	}
}

func TestOneRunPerClientAndFewAtOnce(t *testing.T) {
	h := New(Options{Concurrent: 2})
	leaveFirst := slowClient(h, "192.0.2.1:1000")
	// Polls that end as soon as the run is under way: a generous bound.
	require.Eventually(t, func() bool {
		return h.running.Under("192.0.2.1") > 0
	}, 10*time.Second, 5*time.Millisecond)

	w := postFrom(h, "192.0.2.1:2000", `{"demo":"cpu-sumsq","size":10}`)
	assert.Equal(t, http.StatusTooManyRequests, w.Code, "same client, other port")
	assert.Equal(t, "1", w.Header().Get("Retry-After"))

	w = postFrom(h, "192.0.2.2:1000", `{"demo":"cpu-sumsq","size":10,"strategy":"sequential"}`)
	assert.Equal(t, http.StatusOK, w.Code, "another client")

	// Fill the second slot, then a third client finds the server busy.
	leaveThird := slowClient(h, "192.0.2.3:1000")
	defer leaveThird()
	require.Eventually(t, func() bool { return len(h.sem) == 2 }, 10*time.Second, 5*time.Millisecond)
	w = postFrom(h, "192.0.2.4:1000", `{"demo":"cpu-sumsq","size":10}`)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.NotEmpty(t, w.Header().Get("Retry-After"))

	rep := decodeReport(t, leaveFirst())
	assert.True(t, rep.Runs[0].Partial, "cut when its client left")
	w = postFrom(h, "192.0.2.1:3000", `{"demo":"cpu-sumsq","size":10,"strategy":"sequential"}`)
	assert.Equal(t, http.StatusOK, w.Code, "the client may run again")
}

func TestDeadlineCutsTheRun(t *testing.T) {
	h := New(Options{Deadline: 300 * time.Millisecond})
	start := time.Now()
	rep := decodeReport(t, post(h, `{"demo":"cpu-sumsq","strategy":"sequential,workers","size":1e9,"tasks":2}`))
	assert.Less(t, time.Since(start), 5*time.Second)
	require.NotEmpty(t, rep.Runs)
	assert.True(t, rep.Runs[0].Partial)
}

// TestClientLeavingStopsTheRun starts a run on worker processes that
// cannot finish within the test's bound of 20 s (256 bodies of 256 KiB
// hashed 5000 times each: 335 GB of FNV-1a, over 40 s on two cores even at
// 4 GB/s each), and leaves: the run is cut, reported partial, and its
// workers are gone. The client leaves once a worker process is being
// started (its lane starts it whatever happens next), not at a set time,
// which a busy machine could reach before any was.
func TestClientLeavingStopsTheRun(t *testing.T) {
	var mu sync.Mutex
	var workers []*exec.Cmd
	starting := make(chan struct{})
	command := func() *exec.Cmd {
		cmd := remote.WorkerCommand()
		mu.Lock()
		if workers = append(workers, cmd); len(workers) == 1 {
			close(starting)
		}
		mu.Unlock()
		return cmd
	}
	h := New(Options{Remote: procPool(runner(), command)})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/run",
		strings.NewReader(`{"demo":"pipeline","strategy":"workers","tasks":256,"workers":2,"size":5000,"latency":0,`+
			`"target":"http://lanes.internal/t/a?bytes=262144"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(w, req)
	}()
	select {
	case <-starting:
	case <-time.After(time.Minute):
		t.Fatal("no worker process was started")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run went on after its client left")
	}
	rep := decodeReport(t, w)
	require.Len(t, rep.Runs, 1)
	run := rep.Runs[0]
	assert.True(t, run.Partial, "the run was cut")
	cut := 0
	for _, task := range run.Tasks {
		if strings.Contains(task.Error, context.Canceled.Error()) {
			cut++
		}
	}
	assert.Positive(t, cut, "tasks cut by the client's leaving")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, workers, "the run started worker processes")
	for _, cmd := range workers {
		require.NotNil(t, cmd.Process, "worker started")
		// Wait, which reaps a process that has ended, has returned.
		assert.NotNil(t, cmd.ProcessState, "worker %d stopped and reaped", cmd.Process.Pid)
	}
}

func TestNDJSONProgress(t *testing.T) {
	w := post(New(Options{}), `{"demo":"cpu-primes","size":1e6,"tasks":4,"strategy":"sequential,workers"}`,
		"Accept", "application/x-ndjson")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, NDJSON, w.Header().Get("Content-Type"))
	var lines []map[string]json.RawMessage
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		lines = append(lines, m)
	}
	require.Len(t, lines, 9, "8 progress lines, then the report")
	for i, l := range lines[:8] {
		assert.JSONEq(t, `"progress"`, string(l["type"]))
		assert.JSONEq(t, `8`, string(l["total"]))
		assert.JSONEq(t, itoa(int64(i+1)), string(l["done"]))
	}
	last := lines[8]
	assert.JSONEq(t, `"report"`, string(last["type"]))
	var rep report.Report
	require.NoError(t, json.Unmarshal(last["report"], &rep))
	for _, run := range rep.Runs {
		assert.Equal(t, "78498", run.Result)
	}
}

// TestOneRunPerIPv6Host keys clients as the proxy does: two addresses of
// one IPv6 /64 are one client, and cannot take both run slots.
func TestOneRunPerIPv6Host(t *testing.T) {
	h := New(Options{Concurrent: 2})
	leave := slowClient(h, "[2001:db8:1:2::1]:1000")
	require.Eventually(t, func() bool { return len(h.sem) == 1 }, 10*time.Second, 5*time.Millisecond)
	w := postFrom(h, "[2001:db8:1:2:ffff::99]:2000", `{"demo":"cpu-sumsq","size":10,"strategy":"sequential"}`)
	assert.Equal(t, http.StatusTooManyRequests, w.Code, "another address of the same /64")
	w = postFrom(h, "[2001:db8:1:3::1]:2000", `{"demo":"cpu-sumsq","size":10,"strategy":"sequential"}`)
	assert.Equal(t, http.StatusOK, w.Code, "another /64")
	assert.True(t, decodeReport(t, leave()).Runs[0].Partial)
}

// TestFormatTrace answers with the runs as a trace, asked for in the body
// or the URL; a bad format or a streamed trace is refused.
func TestFormatTrace(t *testing.T) {
	h := New(Options{})
	for _, w := range []*httptest.ResponseRecorder{
		post(h, `{"demo":"cpu-sumsq","strategy":"sequential,goroutines","size":1000000,"tasks":4,"format":"trace"}`),
		func() *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPost, "/api/run?format=trace", strings.NewReader(`{"demo":"cpu-sumsq","strategy":"sequential,goroutines","size":1000000,"tasks":4}`))
			req.RemoteAddr = "192.0.2.9:1"
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w
		}(),
	} {
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		_, err := trace.Validate(w.Body.Bytes())
		require.NoError(t, err)
		var f trace.File
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &f))
		assert.Equal(t, 8, f.Count("X", "task"), "4 tasks × 2 strategies")
		assert.GreaterOrEqual(t, f.Count("X", "phase"), 8, "and their phases")
	}
	w := post(h, `{"demo":"cpu-sumsq","size":1000,"format":"svg"}`)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `format=\"svg\": want report or trace`)
	w = post(h, `{"demo":"cpu-sumsq","size":1000,"format":"trace"}`, "Accept", NDJSON)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "not streamed")
}
