//go:build !js

package target

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// The server's half of the package, kept out of the wasm build: there
// the page only needs to know where the targets are (URL), and a handler
// would bring net/http, and with it crypto/tls, into the download.

// The spellings Parse accepts: plain decimal, no signs, exponents, hex or
// spaces, however strconv would read them.
var (
	validName  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	validCount = regexp.MustCompile(`^[0-9]{1,9}$`)
	validFail  = regexp.MustCompile(`^[0-9]{0,3}(\.[0-9]{0,17})?$`)
	validDelay = regexp.MustCompile(`^0$|^([0-9]{0,12}\.?[0-9]{1,12}(ns|us|µs|μs|ms|s|m|h))+$`)
)

// chunk is the most of a body held in memory at once while writing it.
const chunk = 32 << 10

// writeBody writes target name's body of n bytes to w, a chunk at a time,
// and stops at the first write error (the client went away).
func writeBody(w io.Writer, name string, n int) error {
	g := newBodyGen(name)
	buf := make([]byte, min(n, chunk))
	for n > 0 {
		b := buf[:min(n, len(buf))]
		g.fill(b)
		if _, err := w.Write(b); err != nil {
			return err
		}
		n -= len(b)
	}
	return nil
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
			if err != nil || !validCount.MatchString(v) || n < 0 || n > MaxBytes {
				return p, fmt.Errorf("bytes=%q: want a whole number from 0 to %d", v, MaxBytes)
			}
			p.Bytes = int(n)
		case "delay":
			p.Delay, err = parseDelay(key, v)
		case "jitter":
			p.Jitter, err = parseDelay(key, v)
		case "fail":
			p.Fail, err = strconv.ParseFloat(v, 64)
			if err != nil || !validFail.MatchString(v) || math.IsNaN(p.Fail) || p.Fail < 0 || p.Fail > 1 {
				return p, fmt.Errorf("fail=%q: want a probability from 0 to 1, like 0.25", v)
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
	if err != nil || !validDelay.MatchString(v) || d < 0 || d > MaxDelay {
		return 0, fmt.Errorf("%s=%q: want a duration from 0s to %v, like 200ms", key, v, MaxDelay)
	}
	return d, nil
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
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		http.Error(w, "target: malformed query: want bytes=N&delay=D&jitter=D&fail=P", http.StatusBadRequest)
		return
	}
	p, err := Parse(r.PathValue("name"), q)
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
	writeBody(w, p.Name, p.Bytes)
}
