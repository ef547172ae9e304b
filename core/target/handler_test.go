//go:build !js

package target

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get serves one request to Handler in-process.
func get(t *testing.T, ctx context.Context, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(ctx, method, target, nil)
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, req)
	return w
}

func TestHandlerServesExactBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{
		{BigName, BigBytes}, {SmallName, SmallBytes}, {"empty", 0}, {"one", 1},
		{"chunks", 3*chunk + 7}, {"max", MaxBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, context.Background(), http.MethodGet, "/t/"+tc.name+"?bytes="+strconv.Itoa(tc.n))
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, strconv.Itoa(tc.n), w.Header().Get("Content-Length"))
			assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
			assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
			assert.True(t, w.Body.Len() == tc.n && string(w.Body.Bytes()) == string(Body(tc.name, tc.n)), "body differs")
		})
	}
}

func TestHandlerDefaultsAndURL(t *testing.T) {
	w := get(t, context.Background(), http.MethodGet, "/t/page")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, Body("page", DefaultBytes), w.Body.Bytes())

	w = get(t, context.Background(), http.MethodGet, URL(BigName, BigBytes, 0))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, BigBytes, w.Body.Len())

	w = get(t, context.Background(), http.MethodHead, URL(SmallName, SmallBytes, 0))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, strconv.Itoa(SmallBytes), w.Header().Get("Content-Length"))
	assert.Zero(t, w.Body.Len())

	assert.Equal(t, "/t/dice?bytes=277&delay=200ms", URL(SmallName, SmallBytes, 200*time.Millisecond))
}

func TestHandlerRefusesOtherMethods(t *testing.T) {
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		w := get(t, context.Background(), m, "/t/page")
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, m)
		assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"))
	}
}

func TestHandlerFail(t *testing.T) {
	w := get(t, context.Background(), http.MethodGet, "/t/page?fail=1")
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), "failed on purpose")
	w = get(t, context.Background(), http.MethodGet, "/t/page?fail=0")
	assert.Equal(t, http.StatusOK, w.Code)
}

// badQueries each get 400 with a message naming the parameter.
var badQueries = []struct{ query, says string }{
	{"bytes=-1", "bytes"},
	{"bytes=10485761", "10485760"},
	{"bytes=99999999999999999999", "bytes"},
	{"bytes=1e3", "bytes"},
	{"bytes=0x10", "bytes"},
	{"bytes=+5", "bytes"},
	{"bytes=%205", "bytes"},
	{"bytes=", "bytes"},
	{"bytes=1.5", "bytes"},
	{"bytes=1&bytes=2", "given 2 times"},
	{"delay=-1s", "delay"},
	{"delay=11s", "10s"},
	{"delay=1", "delay"},
	{"delay=abc", "delay"},
	{"delay=+1s", "delay"},
	{"delay=1h", "delay"},
	{"delay=9223372036854775807ns", "delay"},
	{"delay=1s&delay=1s", "given 2 times"},
	{"jitter=-5ms", "jitter"},
	{"jitter=NaN", "jitter"},
	{"delay=6s&jitter=5s", "delay+jitter"},
	{"fail=NaN", "fail"},
	{"fail=nan", "fail"},
	{"fail=Inf", "fail"},
	{"fail=-0.1", "fail"},
	{"fail=1.01", "fail"},
	{"fail=0x1p-2", "fail"},
	{"fail=1e-1", "fail"},
	{"fail=", "fail"},
	{"size=5", "unknown parameter"},
	{"Bytes=5", "unknown parameter"},
	{"bytes=5;delay=1s", "malformed"},
	{"bytes=%zz", "malformed"},
}

func TestHandlerRefusesBadParameters(t *testing.T) {
	for _, tc := range badQueries {
		t.Run(tc.query, func(t *testing.T) {
			w := get(t, context.Background(), http.MethodGet, "/t/page?"+tc.query)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Contains(t, w.Body.String(), tc.says)
		})
	}
}

func TestParseNames(t *testing.T) {
	for _, name := range []string{"", strings.Repeat("a", 65), "a b", "a/b", "ä", "a%2fb", "<script>"} {
		_, err := Parse(name, nil)
		assert.Error(t, err, "%q", name)
	}
	for _, name := range []string{"a", strings.Repeat("a", 64), "jython.org", "A_b-1.c"} {
		_, err := Parse(name, nil)
		assert.NoError(t, err, "%q", name)
	}
}

func TestParseGood(t *testing.T) {
	p, err := Parse("x", url.Values{"bytes": {"0"}, "delay": {"1.5s"}, "jitter": {"500ms"}, "fail": {".25"}})
	require.NoError(t, err)
	assert.Equal(t, Params{Name: "x", Bytes: 0, Delay: 1500 * time.Millisecond, Jitter: 500 * time.Millisecond, Fail: 0.25}, p)
	p, err = Parse("x", url.Values{"delay": {"0"}, "fail": {"1"}, "bytes": {strconv.Itoa(MaxBytes)}})
	require.NoError(t, err)
	assert.Equal(t, Params{Name: "x", Bytes: MaxBytes, Fail: 1}, p)
	_, err = Parse("x", url.Values{"delay": {"10s"}})
	assert.NoError(t, err, "the bound itself is allowed")
}

func TestDelayHonoured(t *testing.T) {
	start := time.Now()
	w := get(t, context.Background(), http.MethodGet, "/t/page?bytes=10&delay=150ms")
	require.Equal(t, http.StatusOK, w.Code)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
}

func TestDelayEndsWhenClientLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- get(t, ctx, http.MethodGet, "/t/page?delay=10s") }()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	// The delay is 10 s: ended with the client, the answer comes at once;
	// half the delay is room for a busy machine, not for a fault.
	select {
	case w := <-done:
		t.Logf("ended %v after the client left", time.Since(start))
		assert.Zero(t, w.Body.Len(), "no answer to a client that left")
	case <-time.After(5 * time.Second):
		t.Fatal("the delay went on after the client left")
	}
}

func TestJitterStaysInBounds(t *testing.T) {
	// 30 ms of jitter at most: 5 s is room for a busy machine, and far
	// below a jitter read as seconds.
	for range 5 {
		start := time.Now()
		w := get(t, context.Background(), http.MethodGet, "/t/page?bytes=1&jitter=30ms")
		require.Equal(t, http.StatusOK, w.Code)
		assert.Less(t, time.Since(start), 5*time.Second)
	}
}
