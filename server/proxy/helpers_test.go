package proxy

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// upstream is a loopback test server that counts the requests it gets.
type upstream struct {
	*httptest.Server
	hits atomic.Int64
}

func newUpstream(t *testing.T, h http.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

// hostPort is the upstream's 127.0.0.1:port.
func (u *upstream) hostPort() string { return strings.TrimPrefix(u.URL, "http://") }

// trap is a loopback listener nothing may ever connect to.
type trap struct {
	net.Listener
	conns atomic.Int64
}

func newTrap(t *testing.T) *trap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tr := &trap{Listener: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tr.conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return tr
}

// newProxyServer serves a proxy on loopback, allowing hosts and the exact
// upstream addresses addrs.
func newProxyServer(t *testing.T, opt Options, hosts, addrs []string) (*httptest.Server, *Proxy) {
	t.Helper()
	pol, err := NewPolicy(hosts, addrs)
	require.NoError(t, err)
	opt.Policy = pol
	if opt.Rate == 0 {
		opt.Rate, opt.Burst = 1e6, 1e6
	}
	if testing.Verbose() {
		opt.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	p := New(opt)
	srv := httptest.NewServer(p)
	t.Cleanup(func() { srv.Close(); p.Close() })
	return srv, p
}

// ask sends GET /proxy?url=raw and returns the status, the body and the
// headers.
func ask(t *testing.T, srv *httptest.Server, raw string, hdr ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/proxy?url="+url.QueryEscape(raw), nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b), resp.Header
}
