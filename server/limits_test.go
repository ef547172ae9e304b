package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveOn serves New's handler with Serve on a loopback port until the
// test ends, and returns the address.
func serveOn(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	h, err := New(Config{Assets: site, NoRun: true})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Serve(ctx, ln, h, discard()) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// keepAlive opens a connection from the loopback address from, asks for
// /healthz on it and leaves it open and idle; it reports whether the
// server answered.
func keepAlive(t *testing.T, addr, from string) bool {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestConnectionsPerClientBounded is the attack of issue 8 in small: one
// host opens more idle keep-alive connections than a client may hold; the
// extra ones are closed at once, and another client is still served.
func TestConnectionsPerClientBounded(t *testing.T) {
	addr := serveOn(t)
	served := 0
	for range DefaultConnsPerClient + 6 {
		if keepAlive(t, addr, "127.0.0.1") {
			served++
		}
	}
	assert.Equal(t, DefaultConnsPerClient, served, "connections of one client served at once")
	assert.True(t, keepAlive(t, addr, "127.0.0.2"), "another client")
	assert.LessOrEqual(t, idleTimeout, 30*time.Second, "idle connections are closed soon")
	assert.Less(t, DefaultConnsPerClient, DefaultConns/8)
}

// TestSlowReaderIsCutAtTheRouteDeadline asks for a 10 MB target body and
// does not read it: the server gives up at the route's write deadline,
// sized to that body, not at its WriteTimeout of 90 s. (The rate and slack
// are raised here so that the deadline is a fraction of a second.)
func TestSlowReaderIsCutAtTheRouteDeadline(t *testing.T) {
	defer func(r int64, s time.Duration) { minWriteRate, writeSlack = r, s }(minWriteRate, writeSlack)
	minWriteRate, writeSlack = 64<<20, 300*time.Millisecond
	addr := serveOn(t)
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.(*net.TCPConn).SetReadBuffer(64<<10))
	const size = 10 << 20
	_, err = io.WriteString(c, "GET /t/big?bytes=10485760 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	require.NoError(t, err)
	time.Sleep(2 * time.Second) // a very slow reader: far past the deadline of about 0.5 s
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	n, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errorsAs(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open after %d bytes", n)
	}
	assert.Less(t, n, int64(size), "the body was cut short")
}

func errorsAs(err error, ne *net.Error) bool {
	e, ok := err.(net.Error)
	if ok {
		*ne = e
	}
	return ok
}
