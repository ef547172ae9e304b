// Package connlimit bounds the connections a server holds: in all, and
// from each client (named as every limit of the server names clients, by
// package clientkey). A connection over either bound is closed as soon as
// it is accepted, so that one host opening thousands of idle keep-alive
// connections cannot take the process's file descriptors and memory.
package connlimit

import (
	"net"
	"sync"
	"sync/atomic"

	"lanes/server/clientkey"
)

// A Listener accepts connections from its inner listener within bounds.
type Listener struct {
	net.Listener
	total, perClient int

	mu      sync.Mutex
	open    int
	clients map[string]int
	refused atomic.Int64
}

// New wraps ln: at most total connections open at once, and at most
// perClient from one client.
func New(ln net.Listener, total, perClient int) *Listener {
	if total < 1 || perClient < 1 {
		panic("connlimit: bounds must be positive")
	}
	return &Listener{Listener: ln, total: total, perClient: perClient, clients: map[string]int{}}
}

// Accept returns the next connection within the bounds, closing those
// over them.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := clientkey.Addr(c.RemoteAddr().String())
		if l.admit(key) {
			return &conn{Conn: c, l: l, key: key}, nil
		}
		l.refused.Add(1)
		c.Close()
	}
}

func (l *Listener) admit(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.total || l.clients[key] >= l.perClient {
		return false
	}
	l.open++
	l.clients[key]++
	return true
}

func (l *Listener) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.clients[key]--; l.clients[key] <= 0 {
		delete(l.clients, key)
	}
}

// Open returns the number of connections open.
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// Refused returns the number of connections closed for being over a bound.
func (l *Listener) Refused() int64 { return l.refused.Load() }

// conn counts itself out once, on its first Close.
type conn struct {
	net.Conn
	l    *Listener
	key  string
	once sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}
