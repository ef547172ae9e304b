package connlimit_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/connlimit"
)

// serve accepts on l and holds each connection until its client closes
// it.
func serve(t *testing.T, l *connlimit.Listener) {
	t.Helper()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() { l.Close() })
}

// dial connects from the loopback address from (127.0.0.x: one client
// each, on Linux) and reports whether the server kept the connection.
func dial(t *testing.T, addr, from string) (net.Conn, bool) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	var ne net.Error
	return c, err != nil && errorsAs(err, &ne) && ne.Timeout() // still open: the read timed out
}

func errorsAs(err error, ne *net.Error) bool {
	e, ok := err.(net.Error)
	if ok {
		*ne = e
	}
	return ok
}

func TestBounds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l := connlimit.New(ln, 5, 3)
	serve(t, l)
	addr := ln.Addr().String()

	var first []net.Conn
	for i := range 3 {
		c, kept := dial(t, addr, "127.0.0.1")
		assert.True(t, kept, "connection %d of the first client", i)
		first = append(first, c)
	}
	_, kept := dial(t, addr, "127.0.0.1")
	assert.False(t, kept, "a fourth from the same client")
	for i := range 2 {
		_, kept := dial(t, addr, "127.0.0.2")
		assert.True(t, kept, "connection %d of another client", i)
	}
	_, kept = dial(t, addr, "127.0.0.3")
	assert.False(t, kept, "a sixth in all")
	assert.Equal(t, int64(2), l.Refused())

	first[0].Close()
	require.Eventually(t, func() bool { return l.Open() == 4 }, 5*time.Second, 10*time.Millisecond,
		"a closed connection is counted out once the server closes its end")
}
