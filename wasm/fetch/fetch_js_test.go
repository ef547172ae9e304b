package fetch_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
	"lanes/wasm/fetch"
	"lanes/wasm/promise"
)

// serverJS is the tests' upstream, a Node HTTP server on a loopback
// port: Node's fetch() talks to it for real. A body of n bytes is i % 251
// for its i-th byte.
const serverJS = `
const http = require("http");
const body = n => { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = i % 251; return b; };
const held = [];
const server = http.createServer((req, res) => {
	const u = new URL(req.url, "http://x");
	const n = Number(u.searchParams.get("n") || 0);
	switch (u.pathname) {
	case "/body":
		res.writeHead(200, {"Content-Length": n});
		res.end(body(n));
		return;
	case "/chunked": {
		const b = body(n);
		res.writeHead(200);
		res.write(b.subarray(0, n >> 1));
		setTimeout(() => res.end(b.subarray(n >> 1)), 5);
		return;
	}
	case "/missing":
		res.writeHead(404);
		res.end("nothing here");
		return;
	case "/hang":
		held.push(res);
		return;
	case "/hang-body":
		res.writeHead(200, {"Content-Length": 10});
		res.write("abc");
		held.push(res);
		return;
	case "/echo": {
		const chunks = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => {
			res.writeHead(200, {"Content-Type": "application/json"});
			res.end(JSON.stringify({method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString()}));
		});
		return;
	}
	}
	res.writeHead(500);
	res.end();
});
return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve({
	url: "http://127.0.0.1:" + server.address().port,
	close: () => { held.forEach(r => r.destroy()); server.closeAllConnections(); server.close(); },
})));
`

// upstream starts serverJS and returns its root URL.
func upstream(t *testing.T) string {
	t.Helper()
	if js.Global().Get("process").Type() != js.TypeObject {
		t.Skip("the upstream is a Node server")
	}
	start := js.Global().Get("Function").New("require", serverJS).Invoke(js.Global().Get("require"))
	srv, err := promise.Await(context.Background(), safejs.Safe(start))
	require.NoError(t, err)
	t.Cleanup(func() { safejs.Unsafe(srv).Call("close") })
	return safejs.Unsafe(srv).Get("url").String()
}

func body(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func TestGetExactBytes(t *testing.T) {
	base := upstream(t)
	runner := workload.Runner{Client: fetch.Client{}}
	ctx := context.Background()
	for _, path := range []string{"/body", "/chunked"} {
		for _, n := range []int{0, 1, 277, 10394, 300_000} {
			u := base + path + "?n=" + strconv.Itoa(n)
			t.Run(path+"/"+strconv.Itoa(n), func(t *testing.T) {
				got, release, err := runner.Fetch(ctx, u)
				defer release()
				require.NoError(t, err)
				assert.Equal(t, body(n), got)

				count, err := runner.Count(ctx, u)
				require.NoError(t, err)
				assert.Equal(t, int64(n), count)

				resp, err := fetch.Client{}.Get(ctx, u)
				require.NoError(t, err)
				defer resp.Body.Close()
				assert.Equal(t, 200, resp.StatusCode)
				assert.Equal(t, "200 OK", resp.Status)
				if path == "/body" {
					assert.Equal(t, int64(n), resp.ContentLength)
				} else {
					assert.Equal(t, int64(-1), resp.ContentLength, "no Content-Length")
				}
			})
		}
	}
}

// echo is what /echo saw of a request.
type echo struct {
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func decodeEcho(t *testing.T, resp *workload.Response) echo {
	t.Helper()
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var e echo
	require.NoError(t, json.Unmarshal(data, &e), string(data))
	return e
}

func TestGetAsksForFreshBytes(t *testing.T) {
	base := upstream(t)
	resp, err := fetch.Client{}.Get(context.Background(), base+"/echo")
	require.NoError(t, err)
	e := decodeEcho(t, resp)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "no-cache", e.Headers["cache-control"])
}

func TestDoPost(t *testing.T) {
	base := upstream(t)
	resp, err := fetch.Do(context.Background(), fetch.Request{
		Method: "POST",
		URL:    base + "/echo",
		Header: map[string]string{"Content-Type": "application/json"},
		Body:   []byte(`{"demo":"cpu-sumsq"}`),
	})
	require.NoError(t, err)
	e := decodeEcho(t, resp)
	assert.Equal(t, "POST", e.Method)
	assert.Equal(t, "application/json", e.Headers["content-type"])
	assert.Equal(t, `{"demo":"cpu-sumsq"}`, e.Body)
}

// TestErrorsNameTheURL: what the Runner says of each failure, as
// natively.
func TestErrorsNameTheURL(t *testing.T) {
	base := upstream(t)
	runner := workload.Runner{Client: fetch.Client{}, Timeout: 300 * time.Millisecond}
	cases := []struct {
		name, url string
		want      []string
	}{
		{"status", base + "/missing", []string{"GET " + base + "/missing: 404 Not Found"}},
		{"refused", "http://127.0.0.1:9/", []string{`Get "http://127.0.0.1:9/": fetch() failed`}},
		{"no headers", base + "/hang", []string{"GET " + base + "/hang: timed out after 300ms"}},
		{"body stalls", base + "/hang-body", []string{"GET " + base + "/hang-body: reading the body", "timed out after 300ms"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := runner.Count(context.Background(), c.url)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Less(t, time.Since(start), 5*time.Second)
		})
	}
}

// TestCancel: a cancelled request stops, before its headers and while
// its body streams, and says why.
func TestCancel(t *testing.T) {
	base := upstream(t)
	t.Run("headers", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := fetch.Client{}.Get(ctx, base+"/hang")
		require.ErrorIs(t, err, context.Canceled)
		var ue *url.Error
		require.True(t, errors.As(err, &ue), "%T", err)
		assert.Equal(t, base+"/hang", ue.URL)
	})
	t.Run("body", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		resp, err := fetch.Client{}.Get(ctx, base+"/hang-body")
		require.NoError(t, err)
		defer resp.Body.Close()
		// Cancelled once the first bytes are in: a timer could fire before
		// they came, on a busy machine.
		got := make([]byte, 3)
		_, err = io.ReadFull(resp.Body, got)
		require.NoError(t, err)
		assert.Equal(t, "abc", string(got))
		time.AfterFunc(50*time.Millisecond, cancel)
		rest, err := io.ReadAll(resp.Body)
		assert.Empty(t, rest)
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := fetch.Client{}.Get(ctx, base+"/body?n=1")
		require.ErrorIs(t, err, context.Canceled)
	})
}

// TestCloseEarly: a body closed half read is cancelled, and reading it
// again fails.
func TestCloseEarly(t *testing.T) {
	base := upstream(t)
	resp, err := fetch.Client{}.Get(context.Background(), base+"/chunked?n=100000")
	require.NoError(t, err)
	buf := make([]byte, 10)
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	_, err = resp.Body.Read(buf)
	assert.Error(t, err)
	assert.False(t, strings.Contains(err.Error(), "EOF"), err)
}
