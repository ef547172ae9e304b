// Package task is the pipeline demo's work written against the task API:
// each task downloads a page, then hashes it 500 times with 64-bit FNV-1a
// and answers the hash — I/O, then CPU. With the demo's 20 tasks the
// hashes add up to an exact number beyond 64 bits.
//
// The download is simulated: a task built for the browser has no
// net/http, so it waits the demo's latency (on a timer, or on ctx when the
// run is stopped first) and then makes the page's body itself, byte for
// byte the body Lanes' built-in targets serve (the classic tutorial's two
// pages, 10394 and 277 bytes, in turn).
package task

import (
	"context"
	"hash/fnv"
	"runtime"
	"strconv"
	"time"
)

// The demo's knobs: each download's wait, and the hashing rounds.
const (
	latency = 100 * time.Millisecond
	rounds  = 500
)

// pages are the two pages, by their names and lengths.
var pages = []struct {
	name  string
	bytes int
}{{"jython", 10394}, {"dice", 277}}

// Task "downloads" page i mod 2, then hashes it rounds times.
func Task(ctx context.Context, i, n int) (string, error) {
	select {
	case <-time.After(latency):
	case <-ctx.Done():
		return "", ctx.Err()
	}
	page := pages[i%len(pages)]
	body := pageBody(page.name, page.bytes)
	h := fnv.New64a()
	for r := range rounds {
		h.Write(body)
		if r%64 == 63 {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			runtime.Gosched() // in the browser, let the other goroutines run
		}
	}
	return strconv.FormatUint(h.Sum64(), 10), nil
}

// pageBody is the body of the page name with n bytes: printable ASCII from
// an xorshift sequence seeded by the name's FNV-1a hash.
func pageBody(name string, n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-\n"
	seed := fnv.New64a()
	seed.Write([]byte(name))
	x := seed.Sum64() | 1
	b := make([]byte, n)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return b
}
