package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// loopbackHosts refuses requests whose Host header is not a loopback name
// or address. Main puts it in front of a server listening on loopback, so
// that a page whose site name is rebound to 127.0.0.1 (DNS rebinding)
// cannot talk to it as a same-origin page would.
func loopbackHosts(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopbackHost(r.Host) {
			http.Error(w, "this server answers to localhost and loopback addresses only", http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// onLoopback reports whether the listener's address is a loopback one.
func onLoopback(ln net.Listener) bool {
	ap, err := netip.ParseAddrPort(ln.Addr().String())
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
