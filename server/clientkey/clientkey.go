// Package clientkey names the client behind a request or a connection, the
// one way every limit of the server tells clients apart: the fetch proxy's
// rate limit and fetches in flight, the native-run API's one run per
// client, and the connections per client. The name comes from the
// connection's address, never from a header a client can forge.
package clientkey

import (
	"net/http"
	"net/netip"
)

// Of names the client of r by r.RemoteAddr; see Addr.
func Of(r *http.Request) string { return Addr(r.RemoteAddr) }

// Addr names the client at remote, an "IP:port" as net/http and net.Conn
// give it: the IPv4 address (an IPv4-mapped IPv6 address counts as the
// IPv4 address it carries), or the IPv6 /64 (one host usually has a whole
// /64 to pick addresses from), zone dropped. Anything else names itself.
func Addr(remote string) string {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return remote
	}
	ip := ap.Addr().Unmap()
	if ip.Is6() {
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.String()
}
