//go:build !js

package workload

import (
	"context"
	"net/http"
)

// defaultClient downloads for a Runner without a Client: the default
// transport, with a bound on the wait for the response headers, so that a
// server that accepts and never answers fails the task.
var defaultClient = func() Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = FetchHeaderTimeout
	return HTTP(&http.Client{Transport: t})
}()

// HTTP is a Client that downloads with c.
func HTTP(c *http.Client) Client { return httpClient{c} }

type httpClient struct{ c *http.Client }

func (c httpClient) Get(ctx context.Context, url string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := c.c.Do(req)
	if err != nil {
		return nil, err
	}
	return &Response{StatusCode: resp.StatusCode, Status: resp.Status, ContentLength: resp.ContentLength, Body: resp.Body}, nil
}
