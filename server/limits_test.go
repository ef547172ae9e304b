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

// pipeListener hands out the server ends of in-memory pipes: synchronous,
// with no socket buffers, so that a client that does not read holds up
// the server's very next write.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	select {
	case <-l.done:
	default:
		close(l.done)
	}
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial() net.Conn {
	client, server := net.Pipe()
	l.conns <- server
	return client
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// TestSlowReaderIsCutAtTheRouteDeadline asks for a 10 MB target body and
// does not read it: the server gives up at the route's write deadline,
// sized to that body, not at its WriteTimeout of 90 s. (The rate and slack
// are raised here so that the deadline is about half a second.)
func TestSlowReaderIsCutAtTheRouteDeadline(t *testing.T) {
	defer func(r int64, s time.Duration) { minWriteRate, writeSlack = r, s }(minWriteRate, writeSlack)
	minWriteRate, writeSlack = 64<<20, 300*time.Millisecond
	ln := newPipeListener()
	h, err := New(Config{Assets: site, NoRun: true})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Serve(ctx, ln, h, discard()) }()
	defer func() { cancel(); <-done }()

	c := ln.dial()
	defer c.Close()
	const size = 10 << 20
	c.SetDeadline(time.Now().Add(20 * time.Second))
	_, err = io.WriteString(c, "GET /t/big?bytes=10485760 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	require.NoError(t, err)
	time.Sleep(2 * time.Second) // a very slow reader: far past the deadline
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
