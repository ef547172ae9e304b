//go:build !js

package workload

import "net/http"

// defaultClient downloads for a Runner without a Client: the default
// transport, with a bound on the wait for the response headers, so that a
// server that accepts and never answers fails the task.
var defaultClient = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = FetchHeaderTimeout
	return &http.Client{Transport: t}
}()
