package fetch

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"

	"lanes/core/workload"
	"lanes/wasm/promise"
)

// A Request is one HTTP request.
type Request struct {
	Method string // "" means GET
	URL    string
	Header map[string]string
	Body   []byte
}

// Client is the browser's workload.Client.
type Client struct{}

var _ workload.Client = Client{}

// Get implements workload.Client.
func (Client) Get(ctx context.Context, url string) (*workload.Response, error) {
	return Do(ctx, Request{URL: url, Header: map[string]string{"Cache-Control": "no-cache"}})
}

// Do sends req with fetch() and returns the response once its headers
// came, its body still streaming. ctx bounds the whole exchange: when it
// is done the request is aborted, and Do or a read of the body under way
// returns ctx.Err(). The caller closes the body. Errors are *url.Error,
// naming the method and the URL, as net/http's are.
func Do(ctx context.Context, req Request) (*workload.Response, error) {
	method := req.Method
	if method == "" {
		method = "GET"
	}
	fail := func(err error) error {
		return &url.Error{Op: method[:1] + strings.ToLower(method[1:]), URL: req.URL, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, fail(err)
	}
	abort, err := abortable(ctx)
	if err != nil {
		return nil, fail(err)
	}
	resp, err := send(ctx, method, req, abort)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err() // and the request is aborted
		} else {
			abort.stop()
		}
		return nil, fail(err)
	}
	return resp, nil
}

// send calls fetch() and reads the response's head.
func send(ctx context.Context, method string, req Request, abort *aborter) (*workload.Response, error) {
	header := map[string]any{}
	for k, v := range req.Header {
		header[k] = v
	}
	opt := map[string]any{
		"method":      method,
		"credentials": "same-origin",
		"headers":     header,
		"signal":      abort.signal,
	}
	if len(req.Body) > 0 {
		buf, err := newJS("Uint8Array", len(req.Body))
		if err != nil {
			return nil, err
		}
		if _, err := safejs.CopyBytesToJS(buf, req.Body); err != nil {
			return nil, err
		}
		opt["body"] = buf
	}
	started, err := safejs.Global().Call("fetch", req.URL, opt)
	if err != nil {
		return nil, err
	}
	r, err := promise.Await(ctx, started)
	if err != nil {
		return nil, errors.New("fetch() failed: " + err.Error())
	}
	code, err := intOf(r, "status")
	if err != nil {
		return nil, err
	}
	status := strconv.Itoa(code)
	if text, _ := stringOf(r, "statusText"); text != "" {
		status += " " + text
	}
	resp := &workload.Response{StatusCode: code, Status: status, ContentLength: -1}
	headers, err := r.Get("headers")
	if err != nil {
		return nil, err
	}
	// The browser decodes a compressed body: its length is then not the
	// Content-Length's.
	if enc := headerOf(headers, "Content-Encoding"); enc == "" || strings.EqualFold(enc, "identity") {
		if n, err := strconv.ParseInt(headerOf(headers, "Content-Length"), 10, 64); err == nil && n >= 0 {
			resp.ContentLength = n
		}
	}
	b := &body{ctx: ctx, abort: abort, headers: headers}
	if stream, err := r.Get("body"); err == nil && !stream.IsNull() && !stream.IsUndefined() {
		if b.reader, err = stream.Call("getReader"); err != nil {
			return nil, err
		}
	} else {
		b.done = true // no body at all (a HEAD, a 204)
	}
	resp.Body = b
	return resp, nil
}

// body reads a response's ReadableStream.
type body struct {
	ctx     context.Context
	reader  safejs.Value
	abort   *aborter
	headers safejs.Value // the response's, for Header
	pending []byte
	done    bool
	err     error // sticky
}

func (b *body) Read(p []byte) (int, error) {
	for len(b.pending) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.done {
			return 0, io.EOF
		}
		b.err = b.next()
	}
	n := copy(p, b.pending)
	b.pending = b.pending[n:]
	return n, nil
}

// next reads the stream's next chunk.
func (b *body) next() error {
	read, err := b.reader.Call("read")
	if err == nil {
		read, err = promise.Await(b.ctx, read)
	}
	if err != nil {
		if b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		return err
	}
	if done, err := read.Get("done"); err != nil {
		return err
	} else if end, _ := done.Bool(); end {
		b.done = true
		return nil
	}
	chunk, err := read.Get("value")
	if err != nil {
		return err
	}
	n, err := intOf(chunk, "byteLength")
	if err != nil {
		return err
	}
	b.pending = make([]byte, n)
	_, err = safejs.CopyBytesToGo(b.pending, chunk)
	return err
}

// Close cancels what is left of the stream.
func (b *body) Close() error {
	if !b.done {
		if cancelled, err := b.reader.Call("cancel"); err == nil {
			promise.Ignore(cancelled) // rejected when the stream had failed
		}
	}
	if b.err == nil {
		b.err = errors.New("fetch: body closed")
	}
	b.pending = nil
	b.abort.stop()
	return nil
}

// An aborter aborts a request when its ctx is done.
type aborter struct {
	signal safejs.Value
	stop   func() bool
}

func abortable(ctx context.Context) (*aborter, error) {
	ac, err := newJS("AbortController")
	if err != nil {
		return nil, err
	}
	signal, err := ac.Get("signal")
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _, _ = ac.Call("abort") })
	return &aborter{signal: signal, stop: stop}, nil
}

func newJS(class string, args ...any) (safejs.Value, error) {
	c, err := safejs.Global().Get(class)
	if err != nil {
		return c, err
	}
	return c.New(args...)
}

func intOf(v safejs.Value, key string) (int, error) {
	x, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	return x.Int()
}

func stringOf(v safejs.Value, key string) (string, error) {
	x, err := v.Get(key)
	if err != nil {
		return "", err
	}
	return x.String()
}

// headerOf is the header's value, or "" when it has none.
func headerOf(headers safejs.Value, name string) string {
	v, err := headers.Call("get", name)
	if err != nil || v.IsNull() {
		return ""
	}
	s, _ := v.String()
	return s
}
