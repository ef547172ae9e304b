package proxy

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Addresses are only classified here, and handed to the dialer's Control
// hook directly: nothing in this file dials anything but loopback.

var deniedAddrs = []string{
	"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
	"127.0.0.1", "127.1.2.3", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255",
	"192.0.0.1", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.0.1", "192.168.255.255",
	"198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
	"240.0.0.1", "255.255.255.255",
	"::", "::1", "::127.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
	"::ffff:0:7f00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "100::1",
	"2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:10::1", "2001:20::1",
	"2001:db8::1", "2002:7f00:1::1", "2002:a9fe:a9fe::1", "3fff::1", "5f00::1",
	"fc00::1", "fd00:ec2::254", "fe80::1", "fe80::1%eth0", "febf::1", "fec0::1",
	"ff02::1", "ff05::1:3", "4000::1", "::2",
}

// allowedAddrs are public unicast addresses: CheckAddr lets them through,
// and no test ever dials one.
var allowedAddrs = []string{
	"1.1.1.1", "8.8.8.8", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.15.255.255",
	"172.32.0.1", "192.0.1.1", "198.17.255.255", "198.20.0.1", "223.255.255.255",
	"2606:4700:4700::1111", "2a00:1450:4001::200e", "2001:4860::8888",
}

func TestCheckAddr(t *testing.T) {
	for _, s := range deniedAddrs {
		t.Run("deny "+s, func(t *testing.T) {
			err := CheckAddr(netip.MustParseAddr(s))
			require.Error(t, err)
			r, ok := AsRefusal(err)
			require.True(t, ok)
			assert.Equal(t, 403, r.Status)
		})
	}
	for _, s := range allowedAddrs {
		t.Run("allow "+s, func(t *testing.T) {
			assert.NoError(t, CheckAddr(netip.MustParseAddr(s)))
		})
	}
	assert.Error(t, CheckAddr(netip.Addr{}))
}

// TestDialerControl calls the Control hook as the dialer would just before
// connect(2), with the address a resolver returned, and never connects.
func TestDialerControl(t *testing.T) {
	pol, err := NewPolicy([]string{"example.org"}, []string{"127.0.0.1:5555", "[::1]:6666"})
	require.NoError(t, err)
	control := pol.Dialer().Control
	for _, s := range deniedAddrs {
		ap := netip.AddrPortFrom(netip.MustParseAddr(s), 80)
		for _, network := range []string{"tcp4", "tcp6"} {
			assert.Error(t, control(network, ap.String(), nil), "%s %s", network, ap)
		}
	}
	for _, s := range allowedAddrs {
		ap := netip.AddrPortFrom(netip.MustParseAddr(s), 443)
		assert.NoError(t, control("tcp", ap.String(), nil), ap.String())
	}
	// The exact upstreams allowed for tests, and nothing next to them.
	assert.NoError(t, control("tcp4", "127.0.0.1:5555", nil))
	assert.NoError(t, control("tcp6", "[::ffff:127.0.0.1]:5555", nil))
	assert.NoError(t, control("tcp6", "[::1]:6666", nil))
	assert.Error(t, control("tcp4", "127.0.0.1:5556", nil))
	assert.Error(t, control("tcp4", "127.0.0.2:5555", nil))
	assert.Error(t, control("tcp6", "[::1]:5555", nil))
	assert.Error(t, control("udp4", "8.8.8.8:53", nil), "only TCP")
	assert.Error(t, control("tcp4", "garbage", nil))
}

// TestDialerRefusesBeforeConnecting dials a loopback listener that is not
// allowed: the dial fails and the listener never sees a connection.
func TestDialerRefusesBeforeConnecting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	pol, err := NewPolicy(nil, nil)
	require.NoError(t, err)
	_, err = pol.Dialer().Dial("tcp", ln.Addr().String())
	require.Error(t, err)
	r, ok := AsRefusal(err)
	require.True(t, ok, "%v", err)
	assert.Contains(t, r.Reason, "loopback")
	select {
	case <-accepted:
		t.Fatal("a refused dial connected")
	case <-time.After(100 * time.Millisecond):
	}
}

func TestNewPolicyRefusesBadConfig(t *testing.T) {
	for _, hosts := range [][]string{{"127.0.0.1"}, {"2130706433"}, {"a.b:80"}, {"user@host"}, {""}} {
		_, err := NewPolicy(hosts, nil)
		assert.Error(t, err, "%q", hosts)
	}
	for _, addrs := range [][]string{{"127.0.0.1"}, {"localhost:80"}, {"127.0.0.1:0"}, {"[::1]"}} {
		_, err := NewPolicy(nil, addrs)
		assert.Error(t, err, "%q", addrs)
	}
}
