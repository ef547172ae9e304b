package connlimit_test

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/connlimit"
)

// fakeListener accepts the connections the test hands it.
type fakeListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *fakeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *fakeListener) Close() error   { close(l.done); return nil }
func (l *fakeListener) Addr() net.Addr { return addr("listener") }

type addr string

func (a addr) Network() string { return "tcp" }
func (a addr) String() string  { return string(a) }

// fromConn is the server's end of a pipe, as if from a remote address.
type fromConn struct {
	net.Conn
	remote addr
}

func (c fromConn) RemoteAddr() net.Addr { return c.remote }

// connect hands the listener a connection from remote and reports whether
// the server kept it: a connection over the bounds is closed at once, which
// its client sees as the end of its input.
func connect(t *testing.T, in *fakeListener, accepted <-chan net.Conn, remote string) (net.Conn, bool) {
	t.Helper()
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close() })
	in.conns <- fromConn{server, addr(remote)}
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	closed := make(chan struct{})
	go func() {
		client.Read(make([]byte, 1)) // returns when the server end is closed
		close(closed)
	}()
	select {
	case c := <-accepted:
		return c, true
	case <-closed:
		return nil, false
	case <-time.After(5 * time.Second):
		t.Fatal("the connection was neither accepted nor closed")
		return nil, false
	}
}

func TestBounds(t *testing.T) {
	in := &fakeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	l := connlimit.New(in, 5, 3)
	accepted := make(chan net.Conn)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() { l.Close() })

	var first []net.Conn
	for i := range 3 {
		c, kept := connect(t, in, accepted, fmt.Sprintf("192.0.2.1:%d", 1000+i))
		require.True(t, kept, "connection %d of the first client", i)
		first = append(first, c)
	}
	_, kept := connect(t, in, accepted, "192.0.2.1:9999")
	assert.False(t, kept, "a fourth from the same client")
	_, kept = connect(t, in, accepted, "[2001:db8::1]:1")
	assert.True(t, kept, "another client")
	_, kept = connect(t, in, accepted, "[2001:db8::2]:1")
	assert.True(t, kept, "another address of that client's /64, its second")
	_, kept = connect(t, in, accepted, "198.51.100.7:1")
	assert.False(t, kept, "a sixth in all")
	assert.Equal(t, int64(2), l.Refused())
	assert.Equal(t, 5, l.Open())

	require.NoError(t, first[0].Close())
	first[0].Close() // a second Close counts nothing
	assert.Equal(t, 4, l.Open(), "a closed connection is counted out, once")
	_, kept = connect(t, in, accepted, "192.0.2.1:8888")
	assert.True(t, kept, "the first client may connect again")
}

func TestNewPanicsOnNonsense(t *testing.T) {
	assert.PanicsWithValue(t, "connlimit: bounds must be positive", func() { connlimit.New(nil, 0, 1) })
}
