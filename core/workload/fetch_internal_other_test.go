//go:build !js

package workload

import (
	"net/http"
	"testing"
)

// TestDefaultClientWaitsForHeadersABoundedTime: the native default
// client, which worker processes download with, gives up on a server that
// sends no headers.
func TestDefaultClientWaitsForHeadersABoundedTime(t *testing.T) {
	c, ok := defaultClient.(httpClient)
	if !ok {
		t.Fatalf("default client %#v: want an http.Client", defaultClient)
	}
	tr, ok := c.c.Transport.(*http.Transport)
	if !ok || tr.ResponseHeaderTimeout != FetchHeaderTimeout {
		t.Fatalf("default transport %#v: want ResponseHeaderTimeout %v", c.c.Transport, FetchHeaderTimeout)
	}
	if tr.ResponseHeaderTimeout > FetchTimeout {
		t.Fatalf("header timeout %v above the whole download's %v", tr.ResponseHeaderTimeout, FetchTimeout)
	}
}
