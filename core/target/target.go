// Package target serves Lanes' built-in fetch targets: deterministic bodies
// of a chosen length after a chosen delay, standing in for the web sites of
// the classic download demo so that every I/O demo works offline. The server
// mounts Handler at /t/, and `lanes run` serves it on a loopback port.
package target

import (
	"hash/fnv"
	"net/url"
	"strconv"
	"time"
)

// Bounds on the parameters.
const (
	MaxBytes = 10 << 20         // bytes
	MaxDelay = 10 * time.Second // delay, jitter, and the two together
)

// DefaultBytes is the body length when bytes is not given.
const DefaultBytes = 1024

// The targets of the default download demo, the sizes of the two pages in
// the classic tutorial.
const (
	BigName    = "jython"
	BigBytes   = 10394
	SmallName  = "dice"
	SmallBytes = 277
)

// Body returns the body of target name with n bytes: printable ASCII,
// always the same for the same name, and a prefix of any longer body for it.
func Body(name string, n int) []byte {
	b := make([]byte, n)
	newBodyGen(name).fill(b)
	return b
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-\n"

// bodyGen makes a body a piece at a time, so that a large one is never
// held in memory whole: an xorshift64 sequence seeded by the name's hash.
type bodyGen struct{ x uint64 }

func newBodyGen(name string) *bodyGen {
	h := fnv.New64a()
	h.Write([]byte(name))
	return &bodyGen{x: h.Sum64() | 1}
}

func (g *bodyGen) fill(b []byte) {
	x := g.x
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	g.x = x
}

// URL returns the path and query of target name with n bytes after delay,
// to append to a server's base URL.
func URL(name string, n int, delay time.Duration) string {
	q := url.Values{"bytes": {strconv.Itoa(n)}}
	if delay > 0 {
		q.Set("delay", delay.String())
	}
	return "/t/" + name + "?" + q.Encode()
}
