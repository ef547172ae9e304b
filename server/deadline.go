package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"lanes/core/target"
)

// Each route sets its own write deadline, sized to its largest answer:
// the answer's longest wait before the first byte, plus its largest body
// at minWriteRate, plus writeSlack. A client reading slower than that is
// cut off, so slow readers cannot hold connections for the server's whole
// WriteTimeout (variables for the tests).
var (
	minWriteRate int64 = 512 << 10 // bytes a second
	writeSlack         = 5 * time.Second
)

// sized is the write deadline of an answer that waits up to wait before
// its first byte and sends up to n bytes.
func sized(wait time.Duration, n int64) time.Duration {
	return writeSlack + wait + time.Duration(float64(n)/float64(minWriteRate)*float64(time.Second))
}

// writeWithin gives h's answers a write deadline: d after the request
// starts being handled.
func writeWithin(d time.Duration, h http.Handler) http.Handler {
	return writeWithinFunc(func(*http.Request) time.Duration { return d }, h)
}

// writeWithinFunc gives h's answers the write deadline of the request.
func writeWithinFunc(d func(*http.Request) time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Not every ResponseWriter has a connection (httptest's does not).
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d(r)))
		h.ServeHTTP(w, r)
	})
}

// targetDeadline sizes a built-in target's deadline from its parameters:
// its delay and jitter, and its body. A request whose parameters do not
// parse gets a short error.
func targetDeadline(r *http.Request) time.Duration {
	name, ok := strings.CutPrefix(r.URL.Path, "/t/")
	q, err := url.ParseQuery(r.URL.RawQuery)
	if !ok || err != nil {
		return sized(0, 0)
	}
	p, err := target.Parse(name, q)
	if err != nil {
		return sized(0, 0)
	}
	return sized(p.Delay+p.Jitter, int64(p.Bytes))
}
