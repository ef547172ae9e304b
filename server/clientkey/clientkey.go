// Package clientkey names the client behind a request or a connection, the
// one way every limit of the server tells clients apart: the fetch proxy's
// rate limit and fetches in flight, the native-run API's one run per
// client, the build service's builds per client, and the connections per
// client. A Counter caps what each client has under way. The name comes from the
// connection's address, never from a header a client can forge.
package clientkey

import (
	"net/http"
	"net/netip"
	"sync"
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

// A Counter caps what each client has under way at once (fetches in
// flight, native runs, builds). It holds an entry only for a client with
// something under way. It is safe for concurrent use.
type Counter struct {
	most int
	mu   sync.Mutex
	n    map[string]int
}

// NewCounter returns a counter that lets each client have most under way.
func NewCounter(most int) *Counter { return &Counter{most: most, n: map[string]int{}} }

// Acquire counts one more for the client, or reports false if it is at
// the cap.
func (c *Counter) Acquire(client string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[client] >= c.most {
		return false
	}
	c.n[client]++
	return true
}

// Release undoes one Acquire.
func (c *Counter) Release(client string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[client]--; c.n[client] <= 0 {
		delete(c.n, client)
	}
}

// Under is how many the client has under way.
func (c *Counter) Under(client string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[client]
}

// Clients is how many clients have something under way.
func (c *Counter) Clients() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.n)
}
