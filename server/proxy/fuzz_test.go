package proxy

import (
	"net/netip"
	"strings"
	"testing"
)

// FuzzCheckURL checks that CheckURL never panics, and that whatever it
// accepts is an http or https URL without credentials whose host is on the
// allow-list (on port 80 or 443) or is exactly the allowed upstream.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"http://localhost/", "https://localhost:443/x?y#z", "http://127.0.0.1:5555/",
		"http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]:5555/",
		"http://u:p@localhost/", "file:///etc/passwd", "http://localhost./", "http://[fe80::1%25lo]/",
		"HTTP://LOCALHOST:80", "http://localhost:0080/", "//localhost", "http:localhost",
	} {
		f.Add(s)
	}
	pol, err := NewPolicy([]string{"localhost"}, []string{"127.0.0.1:5555"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := pol.CheckURL(raw)
		if err != nil {
			if _, ok := AsRefusal(err); !ok {
				t.Fatalf("%q: error %v is not a Refusal", raw, err)
			}
			return
		}
		if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
			t.Fatalf("%q: scheme %q accepted", raw, u.Scheme)
		}
		if u.User != nil {
			t.Fatalf("%q: credentials accepted", raw)
		}
		host, port := strings.ToLower(u.Hostname()), u.Port()
		if ip, err := netip.ParseAddr(host); err == nil {
			if netip.AddrPortFrom(ip.Unmap(), 0).Addr() != netip.MustParseAddr("127.0.0.1") || port != "5555" {
				t.Fatalf("%q: address %s port %s accepted", raw, host, port)
			}
			return
		}
		if host != "localhost" || (port != "" && port != "80" && port != "443") {
			t.Fatalf("%q: host %q port %q accepted", raw, host, port)
		}
	})
}
