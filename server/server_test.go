package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/remote"
	"lanes/core/target"
	"lanes/server/build"
)

// TestMain lets this test binary serve as the worker processes that
// /api/run starts.
func TestMain(m *testing.M) {
	remote.MainIfWorker()
	os.Exit(m.Run())
}

var site = fstest.MapFS{
	"index.html": {Data: []byte(`<!doctype html><title>t</title><script src="/boot.js"></script>`)},
	"boot.js":    {Data: []byte(`console.log("boot")`)},
	"app.wasm":   {Data: []byte("\x00asm\x01\x00\x00\x00")},
}

func newTestServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	if cfg.Assets == nil {
		cfg.Assets = site
	}
	h, err := New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestRoutes(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "upstream page") }))
	defer up.Close()
	srv := newTestServer(t, Config{AllowAddrs: []string{strings.TrimPrefix(up.URL, "http://")}})

	resp, body := get(t, srv, "/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Regexp(t, `src="/h/[0-9a-f]{16}/boot.js"`, body)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'")

	resp, _ = get(t, srv, "/embed?demo=cpu-sumsq&controls=0")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors *")

	hashed := regexp.MustCompile(`/h/[0-9a-f]{16}/boot.js`).FindString(body)
	resp, js := get(t, srv, hashed)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `console.log("boot")`, js)
	assert.Contains(t, resp.Header.Get("Cache-Control"), "immutable")

	resp, _ = get(t, srv, "/app.wasm")
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))

	resp, body = get(t, srv, "/healthz")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "ok\n", body)

	resp, body = get(t, srv, "/t/dice?bytes=277")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, string(target.Body("dice", 277)), body)
	resp, _ = get(t, srv, "/t/dice?bytes=-1")
	assert.Equal(t, 400, resp.StatusCode)

	resp, body = get(t, srv, "/proxy?url="+url.QueryEscape(up.URL+"/x"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "upstream page", body)
	resp, _ = get(t, srv, "/proxy?url="+url.QueryEscape("http://169.254.169.254/"))
	assert.Equal(t, 403, resp.StatusCode)

	r, err := srv.Client().Post(srv.URL+"/api/run", "application/json",
		strings.NewReader(`{"demo":"cpu-sumsq","strategy":"sequential","size":100}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode, string(b))
	assert.Contains(t, string(b), `"result":"328350"`)

	resp, _ = get(t, srv, "/nope")
	assert.Equal(t, 404, resp.StatusCode)
}

func TestNoRun(t *testing.T) {
	srv := newTestServer(t, Config{NoRun: true})
	r, err := srv.Client().Post(srv.URL+"/api/run", "application/json", strings.NewReader(`{"demo":"cpu-sumsq"}`))
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
}

func TestParseFlags(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseFlags(nil, &stderr)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", cfg.Addr)
	assert.Equal(t, DefaultAllow, cfg.Allow)
	assert.Empty(t, cfg.AllowAddrs)
	assert.False(t, cfg.NoRun)

	cfg, err = parseFlags([]string{"--addr", "127.0.0.1:9999", "--allow", "a.example, b.example", "--allow-addr", "127.0.0.1:5555",
		"--no-run", "--content", "site"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, Config{Addr: "127.0.0.1:9999", Allow: []string{"a.example", "b.example"},
		AllowAddrs: []string{"127.0.0.1:5555"}, NoRun: true, Content: "site"}, cfg)

	cfg, err = parseFlags([]string{"--build=off", "--build-dir", "/var/cache/lanes"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, build.Options{Off: true, Dir: "/var/cache/lanes"}, cfg.Build)
	_, err = parseFlags([]string{"--build=maybe"}, &stderr)
	assert.ErrorContains(t, err, "want on or off")

	_, err = parseFlags([]string{"--bogus"}, &stderr)
	assert.Error(t, err)
	_, err = parseFlags([]string{"extra"}, &stderr)
	assert.Error(t, err)
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Allow: []string{"127.0.0.1"}},
		{AllowAddrs: []string{"localhost:80"}},
		{Content: "/no/such/dir"},
	} {
		_, err := New(cfg)
		assert.Error(t, err, "%+v", cfg)
	}
}

func TestHeaderLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	h, err := New(Config{Assets: site})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Serve(ctx, ln, h, discard()) }()
	defer func() { cancel(); <-done }()
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
}

// TestServeShutsDownGracefully: when ctx is done, Serve stops listening,
// cancels the requests in flight (a delayed target stops waiting) and
// returns well within its grace period.
func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	h, err := New(Config{Assets: site})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Serve(ctx, ln, h, discard()) }()

	resp, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()

	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := http.Get("http://" + addr + "/t/slow?delay=10s")
		if err == nil {
			resp.Body.Close()
		}
	})
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
		// Serve cancels the request in flight; one that waited for it
		// would take the whole grace (10 s). Half is room for a busy machine.
		assert.Less(t, time.Since(start), shutdownGrace/2)
	case <-time.After(shutdownGrace + 2*time.Second):
		t.Fatal("Serve did not return")
	}
	wg.Wait()
	_, err = net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err, "still listening")
}

func TestMainServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error)
	go func() { done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--no-run", "--build=off"}, &stderr) }()
	var base string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(stderr.String())
		if m == nil {
			return false
		}
		base = m[1]
		return true
	}, 5*time.Second, 20*time.Millisecond)
	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	cancel()
	assert.NoError(t, <-done)
	assert.Contains(t, stderr.String(), "shutting down")

	assert.Error(t, Main(context.Background(), []string{"--content", "/no/such/dir", "--addr", "127.0.0.1:0"}, io.Discard))
	assert.NoError(t, Main(context.Background(), []string{"-h"}, io.Discard), "help is not an error")
}

// syncBuffer is a bytes.Buffer safe for the server's log and the test to
// share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestLoopbackHosts(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	h := loopbackHosts(ok)
	for host, want := range map[string]int{
		"127.0.0.1:8080": 200, "localhost:8080": 200, "LOCALHOST": 200, "[::1]:8080": 200, "127.0.0.2": 200,
		"app.localhost:8080": 200, "localhost.:8080": 200,
		"evil.example:8080": 421, "evil.example": 421, "10.0.0.1:8080": 421, "": 421, "localhost.evil.example": 421,
	} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		assert.Equal(t, want, w.Code, host)
	}
}
