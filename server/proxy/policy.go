package proxy

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// MaxURL is the longest URL the proxy takes.
const MaxURL = 2048

// A Policy decides which URLs the proxy may fetch and which addresses it
// may dial. Its zero value allows nothing.
type Policy struct {
	hosts map[string]bool         // allowed host names, lower case, no trailing dot
	addrs map[netip.AddrPort]bool // exact upstreams allowed despite CheckAddr
}

// NewPolicy returns a policy allowing the host names in hosts (on ports 80
// and 443) and the exact IP:port upstreams in addrs, which may be dialled
// even where CheckAddr refuses them — for tests against a local upstream.
func NewPolicy(hosts, addrs []string) (*Policy, error) {
	pol := &Policy{hosts: map[string]bool{}, addrs: map[netip.AddrPort]bool{}}
	for _, h := range hosts {
		h = normHost(h)
		if h == "" || strings.ContainsAny(h, ":/@ ") || numericHost(h) {
			return nil, fmt.Errorf("proxy: allowed host %q: want a host name like www.example.org", h)
		}
		pol.hosts[h] = true
	}
	for _, a := range addrs {
		ap, err := netip.ParseAddrPort(a)
		if err != nil || ap.Port() == 0 {
			return nil, fmt.Errorf("proxy: allowed address %q: want IP:port, like 127.0.0.1:5555", a)
		}
		pol.addrs[unmapPort(ap)] = true
	}
	return pol, nil
}

// CheckURL parses raw and returns it if the policy allows fetching it,
// and otherwise a Refusal: 400 for what is not an absolute http or https
// URL, 403 for what the policy forbids. It makes no connection and no DNS
// query.
func (pol *Policy) CheckURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, refuse(400, "url: missing; want /proxy?url=https://host/path")
	}
	if len(raw) > MaxURL {
		return nil, refuse(400, fmt.Sprintf("url: %d bytes, want at most %d", len(raw), MaxURL))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, refuse(400, "url: malformed")
	}
	if err := pol.Check(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// Check is CheckURL for a parsed URL; the proxy applies it to every
// redirect too.
func (pol *Policy) Check(u *url.URL) error {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return refuse(400, fmt.Sprintf("url: scheme %q, want http or https", u.Scheme))
	}
	if u.Opaque != "" || u.Host == "" {
		return refuse(400, "url: want an absolute URL with a host")
	}
	if u.User != nil {
		return refuse(400, "url: user or password in the URL")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return refuse(400, "url: empty host")
	}
	if strings.HasSuffix(host, ".") {
		return refuse(400, "url: host ends in a dot")
	}
	port := u.Port()
	if port == "" && strings.HasSuffix(u.Host, ":") {
		return refuse(400, "url: empty port")
	}
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != port {
		return refuse(400, fmt.Sprintf("url: port %q", port))
	}
	// An address, in any spelling: an exact allowed upstream, or nothing.
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" || ip.String() != host {
			return refuse(403, fmt.Sprintf("host %s: an address, not in its plain form", host))
		}
		if pol.addrs[unmapPort(netip.AddrPortFrom(ip, uint16(n)))] {
			return nil
		}
		return refuse(403, fmt.Sprintf("host %s: addresses are not fetched, only allowed host names", host))
	}
	if numericHost(host) {
		return refuse(403, fmt.Sprintf("host %s: a number, read as an address; only allowed host names are fetched", host))
	}
	if !pol.hosts[host] {
		return refuse(403, fmt.Sprintf("host %s: not on the allow-list", host))
	}
	if n != 80 && n != 443 {
		return refuse(403, fmt.Sprintf("port %d: only 80 and 443", n))
	}
	return nil
}

// CheckDial decides on the address actually dialled, after DNS: an exact
// allowed upstream, or a global unicast address.
func (pol *Policy) CheckDial(network, address string) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return refuse(403, "network "+network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refuse(403, "dial address "+address)
	}
	if pol.addrs[unmapPort(ap)] {
		return nil
	}
	return CheckAddr(ap.Addr())
}

func unmapPort(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
}

func normHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// numericHost reports whether a resolver could read host as an IPv4
// address in one of the inet_aton spellings — 2130706433, 0x7f000001,
// 0177.0.0.1, 127.1 — or host is an IPv6 literal. No real top-level domain
// is a number, so a host whose last label is one is taken for an address.
func numericHost(host string) bool {
	if strings.Contains(host, ":") || net.ParseIP(host) != nil {
		return true
	}
	labels := strings.Split(host, ".")
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if x, ok := strings.CutPrefix(last, "0x"); ok {
		return allIn(x, "0123456789abcdef")
	}
	return allIn(last, "0123456789")
}

func allIn(s, set string) bool {
	for _, c := range s {
		if !strings.ContainsRune(set, c) {
			return false
		}
	}
	return true
}
