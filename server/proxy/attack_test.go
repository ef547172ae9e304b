package proxy

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttackTable sends URLs of every class security.md names to a proxy
// whose only allowed host is localhost and whose only allowed upstream is
// one loopback test server. Only that server may ever see a request, and
// only for the one URL meant to reach it; a trap listener on another port
// must see no connection at all. No name but localhost (from /etc/hosts)
// is ever resolved: everything else is refused before DNS.
func TestAttackTable(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-trap":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		default:
			w.Write([]byte("upstream"))
		}
	})
	tr := newTrap(t)
	trapPort := tr.Addr().(interface{ String() string }).String()
	trapPort = trapPort[strings.LastIndex(trapPort, ":")+1:]
	hp := up.hostPort()
	upPort := hp[strings.LastIndex(hp, ":")+1:]
	srv, _ := newProxyServer(t, Options{}, []string{"localhost"}, []string{hp})

	redirect := func(to string) string { return up.URL + "/to-trap?to=" + strings.ReplaceAll(to, "&", "%26") }

	cases := []struct {
		class, url string
		status     int
		says       string
		reaches    bool // the upstream answers this one
	}{
		{"allowed exact upstream", up.URL + "/page", 200, "upstream", true},
		{"allowed exact upstream as mapped IPv6", "http://[::ffff:127.0.0.1]:" + upPort + "/", 200, "upstream", true},

		{"scheme file", "file:///etc/passwd", 400, "scheme", false},
		{"scheme gopher", "gopher://localhost:70/_GET", 400, "scheme", false},
		{"scheme ftp", "ftp://localhost/", 400, "scheme", false},
		{"scheme javascript", "javascript:alert(1)", 400, "scheme", false},
		{"scheme data", "data:text/html,<script>alert(1)</script>", 400, "scheme", false},
		{"no scheme", "//localhost/", 400, "scheme", false},
		{"relative", "/etc/passwd", 400, "scheme", false},
		{"empty", "", 400, "missing", false},
		{"no host", "http:///path", 400, "host", false},
		{"opaque", "http:localhost", 400, "absolute", false},
		{"too long", "http://localhost/" + strings.Repeat("a", MaxURL), 400, "bytes", false},
		{"malformed", "http://[::1/", 400, "malformed", false},
		{"bad escape", "http://local%zzhost/", 400, "malformed", false},

		{"userinfo", "http://user:pass@localhost/", 400, "password", false},
		{"user only", "http://user@localhost/", 400, "password", false},
		{"userinfo hiding the host", "http://127.0.0.1:" + upPort + "@localhost/", 400, "password", false},
		{"userinfo to allowed upstream", "http://a:b@" + hp + "/", 400, "password", false},

		{"loopback literal", "http://127.0.0.1/", 403, "address", false},
		{"loopback other port", "http://127.0.0.1:" + trapPort + "/", 403, "address", false},
		{"loopback 127.0.0.2", "http://127.0.0.2:" + upPort + "/", 403, "address", false},
		{"decimal", "http://2130706433/", 403, "a number", false},
		{"decimal with port", "http://2130706433:" + upPort + "/", 403, "a number", false},
		{"hex", "http://0x7f000001/", 403, "a number", false},
		{"hex dotted", "http://0x7f.0x0.0x0.0x1/", 403, "a number", false},
		{"octal", "http://0177.0.0.1/", 403, "a number", false},
		{"octal long", "http://017700000001/", 403, "a number", false},
		{"short", "http://127.1/", 403, "a number", false},
		{"short with port", "http://127.1:" + upPort + "/", 403, "a number", false},
		{"zero", "http://0/", 403, "a number", false},
		{"zero dotted", "http://0.0.0.0/", 403, "address", false},
		{"trailing dot address", "http://127.0.0.1.:" + upPort + "/", 400, "dot", false},
		{"trailing dot name", "http://localhost./", 400, "dot", false},
		{"IPv6 loopback", "http://[::1]/", 403, "address", false},
		{"IPv6 loopback on the upstream port", "http://[::1]:" + upPort + "/", 403, "address", false},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/", 403, "address", false},
		{"IPv4-mapped in hex", "http://[::ffff:7f00:1]:" + upPort + "/", 403, "plain form", false},
		{"IPv4-mapped long form", "http://[0:0:0:0:0:ffff:127.0.0.1]:" + upPort + "/", 403, "plain form", false},
		{"IPv4-compatible", "http://[::127.0.0.1]/", 403, "address", false},
		{"NAT64", "http://[64:ff9b::7f00:1]/", 403, "address", false},
		{"6to4", "http://[2002:7f00:1::1]/", 403, "address", false},
		{"Teredo", "http://[2001::1]/", 403, "address", false},
		{"zone", "http://[fe80::1%25lo]/", 403, "plain form", false},
		{"metadata", "http://169.254.169.254/latest/meta-data/", 403, "address", false},
		{"metadata IPv6", "http://[fd00:ec2::254]/", 403, "address", false},
		{"metadata name", "http://metadata.google.internal/computeMetadata/v1/", 403, "allow-list", false},
		{"private 10", "http://10.0.0.1/", 403, "address", false},
		{"private 172", "http://172.16.0.1/", 403, "address", false},
		{"private 192", "http://192.168.1.1/", 403, "address", false},
		{"CGNAT", "http://100.64.0.1/", 403, "address", false},
		{"link-local IPv6", "http://[fe80::1]/", 403, "address", false},
		{"unique local", "http://[fc00::1]/", 403, "address", false},
		{"multicast", "http://224.0.0.1/", 403, "address", false},
		{"broadcast", "http://255.255.255.255/", 403, "address", false},
		{"public address literal", "http://93.184.215.14/", 403, "address", false},

		{"not allowed host", "http://example.com/", 403, "allow-list", false},
		{"allowed host as a suffix", "http://localhost.example.com/", 403, "allow-list", false},
		{"allowed host as a prefix", "http://evillocalhost/", 403, "allow-list", false},
		{"fragment trick", "http://example.com#@localhost/", 403, "allow-list", false},
		{"backslash trick", `http://example.com\@localhost/`, 400, "malformed", false},
		{"unicode look-alike", "http://ⓛocalhost/", 403, "allow-list", false},
		{"port not allowed", "http://localhost:" + trapPort + "/", 403, "port", false},
		{"port 22", "http://localhost:22/", 403, "port", false},
		{"port zero", "http://localhost:0/", 400, "port", false},
		{"port too big", "http://localhost:65536/", 400, "port", false},
		{"port with zeros", "http://localhost:0080/", 400, "port", false},
		{"empty port", "http://localhost:/", 400, "port", false},

		{"allowed name resolving to loopback", "http://localhost/", 403, "loopback", false},
		{"allowed name, upper case", "http://LOCALHOST/", 403, "loopback", false},
		{"allowed name escaped", "http://%6c%6f%63%61%6c%68%6f%73%74/", 400, "malformed", false},
		{"allowed name on 443 over http", "http://localhost:443/", 403, "loopback", false},

		{"redirect to trap", redirect("http://127.0.0.1:" + trapPort + "/"), 403, "redirect", true},
		{"redirect to localhost trap", redirect("http://localhost:" + trapPort + "/"), 403, "redirect", true},
		{"redirect to metadata", redirect("http://169.254.169.254/latest/meta-data/"), 403, "redirect", true},
		{"redirect to decimal", redirect("http://2130706433/"), 403, "redirect", true},
		{"redirect to file", redirect("file:///etc/passwd"), 400, "redirect", true},
		{"redirect with userinfo", redirect("http://u:p@" + hp + "/"), 400, "redirect", true},
		{"redirect to localhost", redirect("http://localhost/"), 403, "loopback", true},
	}
	for _, tc := range cases {
		t.Run(tc.class, func(t *testing.T) {
			before := up.hits.Load()
			status, body, h := ask(t, srv, tc.url)
			assert.Equal(t, tc.status, status, body)
			assert.Contains(t, body, tc.says)
			assert.Equal(t, "default-src 'none'; sandbox", h.Get("Content-Security-Policy"))
			assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
			if !tc.reaches {
				assert.Equal(t, before, up.hits.Load(), "the upstream saw a refused URL")
			}
			assert.Zero(t, tr.conns.Load(), "something connected to the trap")
		})
	}
}

// TestAttackTableResolvers runs the table again in child processes under
// each of Go's resolvers, the pure Go one and the C library's.
func TestAttackTableResolvers(t *testing.T) {
	if os.Getenv("LANES_RESOLVER_CHILD") != "" {
		t.Skip("in a child already")
	}
	for _, dns := range []string{"go", "cgo"} {
		t.Run(dns, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run", "^TestAttackTable$", "-test.count=1")
			cmd.Env = append(os.Environ(), "GODEBUG=netdns="+dns+"+2", "LANES_RESOLVER_CHILD=1")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "PASS")
			if dns == "cgo" {
				assert.Contains(t, string(out), "cgo", "the C resolver was used")
			}
		})
	}
}
