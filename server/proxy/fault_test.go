package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// openFDs counts this process's open file descriptors, from /proc/self/fd
// (Linux) or /dev/fd (macOS, the BSDs). Where neither can be read the test
// fails: skipping would let a descriptor leak pass unseen.
func openFDs(t *testing.T) int {
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		if ents, err := os.ReadDir(dir); err == nil {
			return len(ents)
		}
	}
	t.Fatal("cannot count open file descriptors here: neither /proc/self/fd nor /dev/fd can be read")
	return 0
}

// bomb is a gzip stream of 16 MiB of zeros, about 16 KiB on the wire,
// sixteen times the proxy's body cap in the test once decoded.
func bomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	for range 16 {
		zw.Write(zeros)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// wait blocks until the client goes away or d passes.
func wait(r *http.Request, d time.Duration) {
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}

// TestFaultUpstreams puts misbehaving upstreams behind the proxy: each
// ends in a clean 4xx or 5xx within the proxy's timeout, and afterwards no
// goroutine or file descriptor is left behind, and the heap is back near
// where it was.
func TestFaultUpstreams(t *testing.T) {
	gz := bomb(t)
	fds := openFDs(t)
	heap := heapInUse()
	goroutines := goleak.IgnoreCurrent()

	func() { // everything in here is closed before the counts are checked
		tr := newTrap(t)
		up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/slow-headers":
				wait(r, 10*time.Second)
			case "/drip":
				w.Header().Set("Content-Length", "100")
				w.WriteHeader(200)
				for range 100 {
					w.Write([]byte("x"))
					w.(http.Flusher).Flush()
					wait(r, time.Second)
					if r.Context().Err() != nil {
						return
					}
				}
			case "/endless":
				chunk := bytes.Repeat([]byte("y"), 4096)
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			case "/bomb":
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(gz)
			case "/early-eof":
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(200)
				w.Write([]byte("only ten b"))
				w.(http.Flusher).Flush()
				c, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					c.Close()
				}
			case "/reset":
				c, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					c.(*net.TCPConn).SetLinger(0) // close with RST
					c.Close()
				}
			case "/500":
				http.Error(w, "upstream broke", http.StatusInternalServerError)
			case "/101", "/101-bare", "/999", "/600", "/099":
				raw := map[string]string{
					"/101":      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw bytes after the switch",
					"/101-bare": "HTTP/1.1 101 Switching Protocols\r\nContent-Length: 2\r\n\r\nhi",
					"/999":      "HTTP/1.1 999 Weird\r\nContent-Length: 2\r\n\r\nhi",
					"/600":      "HTTP/1.1 600 Beyond\r\nContent-Length: 2\r\n\r\nhi",
					"/099":      "HTTP/1.1 099 Below\r\nContent-Length: 2\r\n\r\nhi",
				}[r.URL.Path]
				c, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					c.Write([]byte(raw))
					// Hold the connection, as an upgraded one would be,
					// until the proxy drops it.
					c.SetReadDeadline(time.Now().Add(3 * time.Second))
					io.Copy(io.Discard, c)
					c.Close()
				}
			case "/huge-header":
				w.Header().Set("X-Big", strings.Repeat("z", 100<<10))
				w.WriteHeader(200)
			case "/to-loopback":
				http.Redirect(w, r, "http://127.0.0.1:"+portOf(tr.Addr().String())+"/", http.StatusFound)
			case "/loop":
				http.Redirect(w, r, "/loop", http.StatusFound)
			default:
				http.NotFound(w, r)
			}
		})
		srv, _ := newProxyServer(t, Options{Timeout: 1500 * time.Millisecond, MaxBody: 1 << 20}, nil, []string{up.hostPort()})
		for _, tc := range []struct {
			path   string
			status int
			says   string
		}{
			{"/slow-headers", 504, "timed out"},
			{"/drip", 504, "timed out"},
			{"/endless", 502, "over"},
			{"/bomb", 502, "over"},
			{"/early-eof", 502, "short"},
			{"/reset", 502, "upstream failed"},
			{"/500", 500, "upstream broke"},
			{"/101", 502, "status 101"},
			{"/101-bare", 502, "status 101"},
			{"/999", 502, "status 999"},
			{"/600", 502, "status 600"},
			{"/099", 502, "status 99,"},
			{"/huge-header", 502, "upstream failed"},
			{"/to-loopback", 403, "redirect"},
			{"/loop", 502, "redirects"},
		} {
			t.Run(tc.path, func(t *testing.T) {
				start := time.Now()
				status, body, h := ask(t, srv, up.URL+tc.path)
				assert.Equal(t, tc.status, status, body)
				assert.Contains(t, body, tc.says)
				assert.Less(t, time.Since(start), 5*time.Second)
				assert.Equal(t, "default-src 'none'; sandbox", h.Get("Content-Security-Policy"))
			})
		}
		assert.Zero(t, tr.conns.Load(), "a redirect reached the trap")
		srv.Close()
		up.Close()
		tr.Close()
		srv.Client().CloseIdleConnections()
	}()

	goleak.VerifyNone(t, goroutines)
	assert.Less(t, heapInUse(), heap+8<<20, "heap: %d before, %d after", heap, heapInUse())
	require.Eventually(t, func() bool { return openFDs(t) <= fds }, 5*time.Second, 50*time.Millisecond,
		"file descriptors: %d before, %d after", fds, openFDs(t))
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func portOf(hostPort string) string { return hostPort[strings.LastIndex(hostPort, ":")+1:] }

// TestHeadersFilteredBothWays: no Cookie, Authorization or other client
// header goes upstream; no Set-Cookie comes back; the body is inert.
func TestHeadersFilteredBothWays(t *testing.T) {
	got := make(chan http.Header, 1)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.Header().Set("Set-Cookie", "session=stolen")
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Location", "http://elsewhere/")
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte("<script>alert(1)</script>"))
	})
	srv, _ := newProxyServer(t, Options{}, nil, []string{up.hostPort()})
	status, body, h := ask(t, srv, up.URL+"/", "Cookie", "session=mine", "Authorization", "Bearer secret",
		"X-Forwarded-For", "10.0.0.1", "Accept", "text/html", "Proxy-Authorization", "Basic x")
	require.Equal(t, 200, status)
	assert.Equal(t, "<script>alert(1)</script>", body)
	up_ := <-got
	for _, k := range []string{"Cookie", "Authorization", "X-Forwarded-For", "Proxy-Authorization"} {
		assert.Empty(t, up_.Get(k), k)
	}
	assert.Equal(t, "text/html", up_.Get("Accept"))
	assert.Empty(t, h.Get("Set-Cookie"))
	assert.Empty(t, h.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, h.Get("Location"))
	assert.Equal(t, `"v1"`, h.Get("ETag"))
	assert.Equal(t, "default-src 'none'; sandbox", h.Get("Content-Security-Policy"))
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-store", h.Get("Cache-Control"))
}

func TestRequestShape(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	srv, _ := newProxyServer(t, Options{}, nil, []string{up.hostPort()})
	for _, tc := range []struct {
		method, query string
		status        int
	}{
		{http.MethodPost, "url=" + up.URL, 405},
		{http.MethodGet, "url=" + up.URL + "&url=" + up.URL, 400},
		{http.MethodGet, "url=" + up.URL + "&x=1", 400},
		{http.MethodGet, "u=" + up.URL, 400},
		{http.MethodGet, "url=%zz", 400},
		{http.MethodGet, "", 400},
		{http.MethodHead, "url=" + up.URL, 200},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+"/proxy?"+tc.query, nil)
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s", tc.method, tc.query)
	}
}

func TestRateLimitPerClient(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	srv, _ := newProxyServer(t, Options{Rate: 0.5, Burst: 3}, nil, []string{up.hostPort()})
	for range 3 {
		status, _, _ := ask(t, srv, up.URL)
		require.Equal(t, 200, status)
	}
	status, body, h := ask(t, srv, up.URL)
	assert.Equal(t, 429, status)
	assert.Contains(t, body, "slow down")
	assert.Equal(t, "2", h.Get("Retry-After"))
	assert.Equal(t, int64(3), up.hits.Load())
}

func TestLimiterRefillsAndForgets(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(2, 2)
	l.now = func() time.Time { return now }
	ok, _ := l.allow("a")
	assert.True(t, ok)
	ok, _ = l.allow("a")
	assert.True(t, ok)
	ok, wait := l.allow("a")
	assert.False(t, ok)
	assert.Equal(t, 500*time.Millisecond, wait)
	ok, _ = l.allow("b")
	assert.True(t, ok, "clients have their own buckets")
	now = now.Add(500 * time.Millisecond)
	ok, _ = l.allow("a")
	assert.True(t, ok, "refilled")
	now = now.Add(time.Hour)
	l.sweep(now)
	assert.Empty(t, l.buckets, "full buckets are forgotten")
}

func TestInFlightCap(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		w.Write([]byte("ok"))
	})
	srv, _ := newProxyServer(t, Options{InFlight: 1}, nil, []string{up.hostPort()})
	first := make(chan int)
	go func() {
		resp, err := srv.Client().Get(srv.URL + "/proxy?url=" + up.URL)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-entered
	status, body, h := ask(t, srv, up.URL)
	assert.Equal(t, 503, status)
	assert.Contains(t, body, "busy")
	assert.Equal(t, "1", h.Get("Retry-After"))
	close(release)
	assert.Equal(t, 200, <-first)
}

func TestClientLeavingCancelsFetch(t *testing.T) {
	arrived, done := make(chan struct{}), make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
		close(done)
	})
	srv, _ := newProxyServer(t, Options{}, nil, []string{up.hostPort()})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/proxy?url="+up.URL, nil)
	// The client leaves once the fetch reached the upstream: a set time
	// could come first on a busy machine, and nothing would be cut.
	go func() {
		select {
		case <-arrived:
		case <-time.After(30 * time.Second):
		}
		cancel()
	}()
	_, err := srv.Client().Do(req)
	require.Error(t, err)
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("the upstream fetch went on after the client left")
	}
}

func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.1:1234":                 "192.0.2.1",
		"[::ffff:192.0.2.1]:1234":        "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:1234":    "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1%eth0]:80": "2001:db8:1:2::/64",
		"garbage":                        "garbage",
	} {
		r := &http.Request{RemoteAddr: remote}
		assert.Equal(t, want, ClientKey(r), remote)
	}
}

// TestOneClientCannotFillTheProxy is the attack of issue 8: one address
// starts more slow fetches than the proxy has slots. It gets a few, the
// rest are told 429, and another client still gets through.
func TestOneClientCannotFillTheProxy(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.Write([]byte("ok"))
	})
	_, p := newProxyServer(t, Options{}, nil, []string{up.hostPort()})
	get := func(client, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/proxy?url="+url.QueryEscape(up.URL+path), nil)
		req.RemoteAddr = client
		w := httptest.NewRecorder()
		p.ServeHTTP(w, req)
		return w
	}
	const attempts = DefaultInFlight + 2
	codes := make(chan int, attempts)
	for i := range attempts {
		go func() { codes <- get(fmt.Sprintf("192.0.2.1:%d", 1000+i), "/slow").Code }()
	}
	// Every attempt has either reached the upstream or been refused.
	refused := 0
	require.Eventually(t, func() bool {
		for {
			select {
			case c := <-codes:
				assert.Equal(t, http.StatusTooManyRequests, c)
				refused++
				continue
			default:
			}
			return int(up.hits.Load())+refused == attempts
		}
	}, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, int64(DefaultPerClient), up.hits.Load(), "fetches of one client in flight")
	assert.Less(t, DefaultPerClient, DefaultInFlight/2, "well under the global cap")

	w := get("192.0.2.2:1000", "/fast")
	assert.Equal(t, http.StatusOK, w.Code, "another client gets through: %s", w.Body)
	w = get("[2001:db8::1]:1000", "/fast")
	assert.Equal(t, http.StatusOK, w.Code, "and another: %s", w.Body)
	w = get("192.0.2.1:9999", "/fast")
	assert.Equal(t, http.StatusTooManyRequests, w.Code, "the first is still at its cap")
	assert.Equal(t, "1", w.Header().Get("Retry-After"))
	assert.Contains(t, w.Body.String(), "in flight")

	close(release)
	for range DefaultPerClient {
		assert.Equal(t, http.StatusOK, <-codes)
	}
	assert.Equal(t, http.StatusOK, get("192.0.2.1:1", "/fast").Code, "the client may fetch again")
	assert.Zero(t, p.clients.Clients(), "no client is remembered with nothing in flight")
}
