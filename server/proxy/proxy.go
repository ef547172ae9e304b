// Package proxy is Lanes' fetch proxy, GET /proxy?url=ABSOLUTE_URL: it
// fetches an allowed external page on the browser app's behalf, built like
// the trusted SSRF-safe proxies. Every decision is made before a connection
// is opened: the URL (scheme, credentials, host allow-list, port, numeric
// hosts) by Policy.Check, and the address actually dialled, after DNS, by
// the dialer's Control hook. Redirects are capped and checked again; the
// fetch is bounded in time, in body size (decoded bytes, counted while
// reading), in requests in flight and per client; and what comes back is
// inert: no cookies either way, a Content-Security-Policy of default-src
// 'none' and nosniff.
package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"lanes/server/clientkey"
)

// Options bound the proxy. Zero values take the defaults.
type Options struct {
	Policy       *Policy       // what may be fetched; nil allows nothing
	MaxBody      int64         // largest body, decoded; default 4 MiB
	InFlight     int           // fetches at once, past which 503; default 32
	PerClient    int           // fetches at once from one client, past which 429; default 8
	Rate         float64       // requests a second per client, past which 429; default 10
	Burst        int           // requests a client may save up; default 40
	Timeout      time.Duration // a whole fetch, redirects and body included; default 20 s
	MaxRedirects int           // redirects followed; default 5
	Log          *slog.Logger  // nil discards
}

// The defaults of Options.
const (
	DefaultMaxBody      = 4 << 20
	DefaultInFlight     = 32
	DefaultPerClient    = 8 // a quarter of InFlight; above a browser's 6 connections to an origin
	DefaultRate         = 10
	DefaultBurst        = 40
	DefaultTimeout      = 20 * time.Second
	DefaultMaxRedirects = 5
)

// A Proxy serves /proxy?url=.
type Proxy struct {
	opt       Options
	transport *http.Transport
	client    *http.Client
	sem       chan struct{}
	lim       *limiter
	clients   *clientkey.Counter
	bufs      sync.Pool
}

// New returns a proxy with the options.
func New(opt Options) *Proxy {
	if opt.Policy == nil {
		opt.Policy = &Policy{}
	}
	opt.MaxBody = cmp0(opt.MaxBody, DefaultMaxBody)
	opt.InFlight = cmp0(opt.InFlight, DefaultInFlight)
	opt.PerClient = cmp0(opt.PerClient, min(DefaultPerClient, opt.InFlight))
	opt.Rate = cmp0(opt.Rate, DefaultRate)
	opt.Burst = cmp0(opt.Burst, DefaultBurst)
	opt.Timeout = cmp0(opt.Timeout, DefaultTimeout)
	opt.MaxRedirects = cmp0(opt.MaxRedirects, DefaultMaxRedirects)
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	p := &Proxy{
		opt:       opt,
		transport: opt.Policy.Transport(),
		sem:       make(chan struct{}, opt.InFlight),
		lim:       newLimiter(opt.Rate, opt.Burst),
		clients:   clientkey.NewCounter(opt.PerClient),
	}
	p.client = &http.Client{
		Transport: p.transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opt.MaxRedirects {
				return refuse(502, fmt.Sprintf("more than %d redirects", opt.MaxRedirects))
			}
			if err := opt.Policy.Check(req.URL); err != nil {
				r, _ := AsRefusal(err)
				return refuse(r.Status, "redirect: "+r.Reason)
			}
			return nil
		},
	}
	return p
}

func cmp0[T int | int64 | float64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Close closes the idle upstream connections.
func (p *Proxy) Close() { p.transport.CloseIdleConnections() }

// ServeHTTP fetches the url parameter's page and sends it back inert, or
// refuses with a 4xx (or a 5xx when the upstream fails) and a short reason.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	client := ClientKey(r)
	target, status, err := p.serve(w, r, client)
	level := slog.LevelInfo
	reason := ""
	if err != nil {
		level = slog.LevelWarn
		reason = err.Error()
	}
	p.opt.Log.LogAttrs(r.Context(), level, "proxy", slog.String("client", client),
		slog.String("url", target), slog.Int("status", status),
		slog.String("reason", reason), slog.Duration("took", time.Since(start)))
}

// serve does the work of ServeHTTP and returns what to log: the URL asked
// for, the status sent and why it is not 200.
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request, client string) (string, int, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return "", fail(w, refuse(405, "use GET or HEAD")), errors.New("method " + r.Method)
	}
	if ok, wait := p.lim.allow(client); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
		return "", fail(w, refuse(429, "too many requests from you; slow down")), errors.New("rate limited")
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", fail(w, refuse(400, "malformed query")), err
	}
	for k := range q {
		if k != "url" {
			return "", fail(w, refuse(400, fmt.Sprintf("unknown parameter %q; the only one is url", trim(k)))), errors.New("extra parameters")
		}
	}
	raws := q["url"]
	if len(raws) > 1 {
		return "", fail(w, refuse(400, "url: given more than once")), errors.New("url repeated")
	}
	raw := ""
	if len(raws) == 1 {
		raw = raws[0]
	}
	u, err := p.opt.Policy.CheckURL(raw)
	if err != nil {
		return redact(raw), fail(w, err), err
	}
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	default:
		w.Header().Set("Retry-After", "1")
		err := refuse(503, "busy: too many fetches in flight")
		return u.String(), fail(w, err), err
	}
	if !p.clients.Acquire(client) {
		w.Header().Set("Retry-After", "1")
		err := refuse(429, fmt.Sprintf("too many fetches of yours in flight (at most %d); wait for one to end", p.opt.PerClient))
		return u.String(), fail(w, err), err
	}
	defer p.clients.Release(client)
	status, err := p.fetch(w, r, u)
	return u.String(), status, err
}

// fetch gets u and answers with its status and body, or fails.
func (p *Proxy) fetch(w http.ResponseWriter, r *http.Request, u *url.URL) (int, error) {
	ctx, cancel := context.WithTimeout(r.Context(), p.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), nil)
	if err != nil {
		return fail(w, refuse(400, "url: malformed")), err
	}
	for _, k := range []string{"Accept", "Accept-Language"} { // and nothing else: no Cookie, no Authorization
		if v := r.Header.Get(k); v != "" && len(v) < 512 {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("User-Agent", "Lanes-fetch-proxy/1")
	resp, err := p.client.Do(req)
	if err != nil {
		return fail(w, upstreamError(r.Context(), err)), err
	}
	defer resp.Body.Close()
	// Only a final status is relayed: a 101 would switch the client's
	// connection to whatever the upstream speaks, and a status outside
	// 1xx–5xx means nothing to a browser.
	if resp.StatusCode < 200 || resp.StatusCode > 599 {
		err := refuse(502, fmt.Sprintf("upstream answered status %d, not a final 2xx–5xx", resp.StatusCode))
		return fail(w, err), err
	}
	if resp.ContentLength > p.opt.MaxBody {
		err := refuse(502, fmt.Sprintf("upstream body of %d bytes, over %d", resp.ContentLength, p.opt.MaxBody))
		return fail(w, err), err
	}
	buf := p.buffer()
	defer p.release(buf)
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, p.opt.MaxBody+1))
	if err != nil {
		return fail(w, upstreamError(r.Context(), err)), err
	}
	if n > p.opt.MaxBody {
		err := refuse(502, fmt.Sprintf("upstream body over %d bytes", p.opt.MaxBody))
		return fail(w, err), err
	}
	h := w.Header()
	inert(h)
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	for _, k := range []string{"Etag", "Last-Modified"} { // and no Set-Cookie
		if v := resp.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	switch {
	case r.Method != http.MethodHead:
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
	case resp.ContentLength >= 0:
		h.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(resp.StatusCode)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, errors.New("upstream status " + resp.Status)
	}
	return resp.StatusCode, nil
}

// upstreamError turns a failed fetch into what the client is told.
func upstreamError(ctx context.Context, err error) *Refusal {
	if r, ok := AsRefusal(err); ok {
		return r
	}
	if ctx.Err() != nil {
		return refuse(499, "client went away")
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return refuse(504, "upstream timed out")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return refuse(502, "upstream cut the body short")
	}
	return refuse(502, "upstream failed")
}

// inert sets the headers that keep a fetched body from doing anything in
// the page's origin.
func inert(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// fail answers with the refusal's status and reason and returns the status.
func fail(w http.ResponseWriter, err error) int {
	r, ok := AsRefusal(err)
	if !ok {
		r = refuse(502, "upstream failed")
	}
	if r.Status == 499 { // nobody to answer
		return r.Status
	}
	h := w.Header()
	inert(h)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Error()+"\n")
	return r.Status
}

// redact hides a password in a URL to be logged.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return trim(u.Redacted())
	}
	return trim(raw)
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

const maxPooledBuffer = 1 << 20

func (p *Proxy) buffer() *bytes.Buffer {
	if b, ok := p.bufs.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (p *Proxy) release(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		p.bufs.Put(b)
	}
}
