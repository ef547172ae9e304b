package clientkey_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/server/clientkey"
)

func TestAddr(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.1:1234":                 "192.0.2.1",
		"[::ffff:192.0.2.1]:1234":        "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:1234":    "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1%eth0]:80": "2001:db8:1:2::/64",
		"[::1]:80":                       "::/64",
		"garbage":                        "garbage",
	} {
		assert.Equal(t, want, clientkey.Addr(remote), remote)
		assert.Equal(t, want, clientkey.Of(&http.Request{RemoteAddr: remote}), remote)
	}
}

func ExampleAddr() {
	fmt.Println(clientkey.Addr("203.0.113.7:50123"))
	fmt.Println(clientkey.Addr("[2001:db8:aa:bb:1:2:3:4]:443"))
	// Output:
	// 203.0.113.7
	// 2001:db8:aa:bb::/64
}

// TestCounter: each client has at most its cap under way, whatever the
// others hold, and one that releases all it held is forgotten.
func TestCounter(t *testing.T) {
	c := clientkey.NewCounter(2)
	assert.True(t, c.Acquire("a"))
	assert.True(t, c.Acquire("a"))
	assert.False(t, c.Acquire("a"), "at its cap")
	assert.True(t, c.Acquire("b"), "another client")
	assert.Equal(t, 2, c.Under("a"))
	assert.Equal(t, 2, c.Clients())
	c.Release("a")
	assert.True(t, c.Acquire("a"), "room again")
	c.Release("a")
	c.Release("a")
	c.Release("b")
	assert.Zero(t, c.Clients(), "nothing under way, nobody remembered")
	assert.Zero(t, c.Under("a"))
}
