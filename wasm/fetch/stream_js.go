package fetch

import (
	"context"
	"io"

	"github.com/hack-pad/safejs"

	"lanes/core/workload"
)

// Header returns a header of a response Do returned ("" when it has
// none, or resp is not one of Do's).
func Header(resp *workload.Response, name string) string {
	b, ok := resp.Body.(*body)
	if !ok || b.headers.IsUndefined() || b.headers.IsNull() {
		return ""
	}
	return headerOf(b.headers, name)
}

// Stream reads a JavaScript ReadableStream of bytes — a Blob's, a
// DecompressionStream's — as a response body is read: a read under way
// returns ctx.Err() when ctx is done, and Close cancels what is left.
func Stream(ctx context.Context, stream safejs.Value) (io.ReadCloser, error) {
	reader, err := stream.Call("getReader")
	if err != nil {
		return nil, err
	}
	return &body{ctx: ctx, reader: reader, abort: &aborter{stop: func() bool { return false }}, headers: safejs.Undefined()}, nil
}
