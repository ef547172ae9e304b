package proxy

import (
	"fmt"
	"net/netip"
)

// denied lists the ranges the proxy never dials, with the reason it gives.
// Anything not global unicast is here, including what Go's IsPrivate misses
// (100.64/10) and the IPv6 ranges that carry an IPv4 address inside them.
var denied = []struct {
	prefix netip.Prefix
	reason string
}{
	{p("0.0.0.0/8"), "this network"},
	{p("10.0.0.0/8"), "private"},
	{p("100.64.0.0/10"), "carrier-grade NAT"},
	{p("127.0.0.0/8"), "loopback"},
	{p("169.254.0.0/16"), "link-local (cloud metadata)"},
	{p("172.16.0.0/12"), "private"},
	{p("192.0.0.0/24"), "IETF protocol assignments"},
	{p("192.0.2.0/24"), "documentation"},
	{p("192.88.99.0/24"), "6to4 relay anycast"},
	{p("192.168.0.0/16"), "private"},
	{p("198.18.0.0/15"), "benchmarking"},
	{p("198.51.100.0/24"), "documentation"},
	{p("203.0.113.0/24"), "documentation"},
	{p("224.0.0.0/4"), "multicast"},
	{p("240.0.0.0/4"), "reserved"},
	{p("::/96"), "unspecified, loopback or IPv4-compatible"},
	{p("::ffff:0:0/96"), "IPv4-mapped"},
	{p("::ffff:0:0:0/96"), "IPv4-translated"},
	{p("64:ff9b::/96"), "NAT64 (embeds IPv4)"},
	{p("64:ff9b:1::/48"), "local NAT64 (embeds IPv4)"},
	{p("100::/64"), "discard-only"},
	{p("2001::/32"), "Teredo (embeds IPv4)"},
	{p("2001:10::/28"), "ORCHID"},
	{p("2001:20::/28"), "ORCHIDv2"},
	{p("2001:db8::/32"), "documentation"},
	{p("2002::/16"), "6to4 (embeds IPv4)"},
	{p("3fff::/20"), "documentation"},
	{p("5f00::/16"), "segment routing"},
	{p("fc00::/7"), "unique local"},
	{p("fe80::/10"), "link-local"},
	{p("fec0::/10"), "site-local"},
	{p("ff00::/8"), "multicast"},
}

// globalV6 is where global unicast IPv6 addresses live; the rest of the
// IPv6 space is unassigned or special.
var globalV6 = p("2000::/3")

func p(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// CheckAddr returns nil if ip is a global unicast address the proxy may
// dial, and otherwise a Refusal naming the range it is in. An IPv4-mapped
// IPv6 address is judged as the IPv4 address it carries, and a zone makes
// no difference.
func CheckAddr(ip netip.Addr) error {
	if !ip.IsValid() {
		return refuse(403, "no address")
	}
	ip = ip.WithZone("")
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	for _, d := range denied {
		if d.prefix.Contains(ip) {
			return refuse(403, fmt.Sprintf("address %s is %s", ip, d.reason))
		}
	}
	if ip.Is6() && !globalV6.Contains(ip) {
		return refuse(403, fmt.Sprintf("address %s is not global unicast", ip))
	}
	if !ip.IsGlobalUnicast() {
		return refuse(403, fmt.Sprintf("address %s is not global unicast", ip))
	}
	return nil
}
