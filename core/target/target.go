// Package target serves Lanes' built-in fetch targets: deterministic bodies
// of a chosen length after a chosen delay, standing in for the web sites of
// the classic download demo so that every I/O demo works offline. The server
// mounts Handler at /t/, and `lanes run` serves it on a loopback port.
package target

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
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

var validName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Body returns the body of target name with n bytes: printable ASCII,
// always the same for the same name, and a prefix of any longer body for it.
func Body(name string, n int) []byte {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64() | 1
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-\n"
	b := make([]byte, n)
	for i := range b {
		x ^= x << 13 // xorshift64
		x ^= x >> 7
		x ^= x << 17
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return b
}

// Params are a target request's parsed parameters.
type Params struct {
	Name   string
	Bytes  int
	Delay  time.Duration
	Jitter time.Duration
	Fail   float64
}

// Parse reads a target request's name and query strictly: unknown,
// repeated, malformed, negative, NaN or out-of-bounds values are errors
// that say the bounds.
func Parse(name string, q url.Values) (Params, error) {
	p := Params{Name: name, Bytes: DefaultBytes}
	if !validName.MatchString(name) {
		return p, fmt.Errorf("target name %q: want 1 to 64 of A-Z a-z 0-9 _ . -", name)
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return p, fmt.Errorf("%s: given %d times, want once", key, len(vals))
		}
		v := vals[0]
		var err error
		switch key {
		case "bytes":
			var n int64
			n, err = strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > MaxBytes {
				return p, fmt.Errorf("bytes=%q: want a whole number from 0 to %d", v, MaxBytes)
			}
			p.Bytes = int(n)
		case "delay":
			p.Delay, err = parseDelay(key, v)
		case "jitter":
			p.Jitter, err = parseDelay(key, v)
		case "fail":
			p.Fail, err = strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(p.Fail) || p.Fail < 0 || p.Fail > 1 {
				return p, fmt.Errorf("fail=%q: want a probability from 0 to 1", v)
			}
		default:
			return p, fmt.Errorf("unknown parameter %q: want bytes, delay, jitter or fail", key)
		}
		if err != nil {
			return p, err
		}
	}
	if p.Delay+p.Jitter > MaxDelay {
		return p, fmt.Errorf("delay+jitter=%v: want at most %v", p.Delay+p.Jitter, MaxDelay)
	}
	return p, nil
}

func parseDelay(key, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > MaxDelay {
		return 0, fmt.Errorf("%s=%q: want a duration from 0s to %v, like 200ms", key, v, MaxDelay)
	}
	return d, nil
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

// Handler serves GET and HEAD /t/{name}. The delay ends early, with no
// answer, when the client goes away.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/t/{name}", serve)
	return mux
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "target: use GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	p, err := Parse(r.PathValue("name"), r.URL.Query())
	if err != nil {
		http.Error(w, "target: "+err.Error(), http.StatusBadRequest)
		return
	}
	wait := p.Delay
	if p.Jitter > 0 {
		wait += rand.N(p.Jitter)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if p.Fail > 0 && rand.Float64() < p.Fail {
		http.Error(w, "target: failed on purpose (fail="+strconv.FormatFloat(p.Fail, 'g', -1, 64)+")", http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(p.Bytes))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(Body(p.Name, p.Bytes))
}
