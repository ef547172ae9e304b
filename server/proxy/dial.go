package proxy

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Timeouts of an upstream fetch.
const (
	dialTimeout   = 5 * time.Second
	tlsTimeout    = 5 * time.Second
	headerTimeout = 10 * time.Second
	maxRespHeader = 64 << 10
)

// Dialer returns a dialer that checks every address it is about to
// connect to — after DNS, so a name that resolves or rebinds to a private
// address is caught — and refuses before the connection is made.
func (pol *Policy) Dialer() *net.Dialer {
	return &net.Dialer{
		Timeout: dialTimeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			return pol.CheckDial(network, address)
		},
	}
}

// Transport returns the upstream transport: every dial checked, no proxy
// from the environment, bounded handshakes and headers, and transparent
// gzip so that the body cap counts decoded bytes.
func (pol *Policy) Transport() *http.Transport {
	d := pol.Dialer()
	return &http.Transport{
		Proxy: nil, // the environment's proxy is not what gets checked
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    tlsTimeout,
		ResponseHeaderTimeout:  headerTimeout,
		MaxResponseHeaderBytes: maxRespHeader,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    64,
		IdleConnTimeout:        60 * time.Second,
		ForceAttemptHTTP2:      true,
	}
}
