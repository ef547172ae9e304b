//go:build !js

package target

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// A Hung server stands for a web site that stops answering: it accepts
// connections on a loopback port and, to each request, sends Answer (or
// nothing when Answer is empty), then nothing more, holding the
// connection until Close. The tests of every timeout on a download use it.
type Hung struct {
	// URL is the server's root, http://127.0.0.1:PORT/.
	URL string

	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// NewHung starts a hung server that sends answer to each request: "" for
// one that accepts and never answers, or, say, a status line and headers
// that promise a body it never sends.
func NewHung(answer string) (*Hung, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &Hung{URL: "http://" + ln.Addr().String() + "/", ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.mu.Lock()
			h.conns = append(h.conns, c)
			h.mu.Unlock()
			if answer != "" {
				go func() {
					// Answer once the request came: a response sent before
					// it is one the client may take for a stray and drop.
					if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
						c.Write([]byte(answer))
					}
				}()
			}
		}
	}()
	return h, nil
}

// Close stops the server and closes every connection it holds.
func (h *Hung) Close() {
	h.ln.Close()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.Close()
	}
}
