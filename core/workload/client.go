package workload

import (
	"context"
	"io"
)

// A Client sends a download's request. Natively HTTP wraps an
// *http.Client; in the browser wasm/fetch's Client calls the Fetch API,
// so that the wasm build carries neither net/http nor crypto/tls.
type Client interface {
	// Get asks for url afresh, bypassing caches (Cache-Control:
	// no-cache), and returns the response once its headers came; its
	// body streams after. ctx bounds the whole download, the body's
	// reads included. An error names the URL.
	//
	// The download wants fresh bytes; in a browser this also lets the
	// same URL be fetched many times at once: without it, Chromium's
	// cache lets one request per URL through at a time, until the
	// answer's headers come, and the demo's ten copies of each target
	// ran one by one.
	Get(ctx context.Context, url string) (*Response, error)
}

// A Response is a download's answer, its body still to read.
type Response struct {
	StatusCode int    // 200
	Status     string // "200 OK"
	// ContentLength is the body's length, or -1 when unknown (no
	// Content-Length, or a body the client decompresses).
	ContentLength int64
	// Body is the body as it streams; the caller closes it.
	Body io.ReadCloser
}
