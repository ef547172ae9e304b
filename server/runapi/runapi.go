// Package runapi serves POST /api/run: it runs a demo with the server's
// native core — goroutines, and worker processes for the remote strategies
// — and answers with the lanes.report/v1 JSON, or, to a client that
// accepts application/x-ndjson, with progress lines before the report.
//
// The body is a flat JSON object with the names of the page's URL
// parameters, values as strings or numbers:
//
//	{"demo": "cpu-sumsq", "strategy": "sequential,workers", "size": 1000000}
//
// Everything is bounded: the body's size (413), the work (Caps; 400), one
// run per client at a time (429), a few runs at once overall (503), and a
// deadline, past which the run is cut short and reported as partial. Runs
// download only the built-in targets, served in-process.
package runapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/trace"
	"lanes/core/workload"
	"lanes/server/clientkey"
)

// Options configure the API. Zero values take the defaults.
type Options struct {
	Off        bool          // answer every request 403: the API is turned off
	Deadline   time.Duration // the longest run; default 60 s
	MaxBody    int64         // request body bytes; default 16 KiB
	Concurrent int           // runs at once, past which 503; default 2
	Caps       Caps          // work limits; the zero value means DefaultCaps
	// Remote lends remote lanes for a run (demo.Env's Remote); nil means
	// worker processes of this same executable (remote.WorkerCommand).
	Remote func(k int) (remote.Pool, func(), error)
	Log    *slog.Logger // nil discards
	// WriteDeadline, if set, gives each answer a write deadline sized to
	// it: the run's deadline to wait, and the most bytes the request's
	// answer can take (answerBytes) to write. The server passes the one
	// rule of its routes; without it, the route's own deadline stands.
	WriteDeadline func(wait time.Duration, bytes int64) time.Duration
}

// The defaults of Options.
const (
	DefaultDeadline   = demo.MaxRunTime
	DefaultMaxBody    = 16 << 10
	DefaultConcurrent = 2
)

// NDJSON is the media type of a streamed answer: one JSON object a line,
// {"type":"progress",...} as tasks are delivered, then {"type":"report",...}
// or {"type":"error",...}.
const NDJSON = "application/x-ndjson"

// A Handler serves POST /api/run.
type Handler struct {
	opt    Options
	runner workload.Runner
	sem    chan struct{}

	running *clientkey.Counter // clients with a run in progress
}

// New returns the API's handler.
func New(opt Options) *Handler {
	if opt.Deadline <= 0 {
		opt.Deadline = DefaultDeadline
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.Concurrent <= 0 {
		opt.Concurrent = DefaultConcurrent
	}
	if opt.Caps.TargetBytes == 0 {
		opt.Caps = DefaultCaps
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{opt: opt, runner: runner(), sem: make(chan struct{}, opt.Concurrent), running: clientkey.NewCounter(1)}
	if h.opt.Remote == nil {
		h.opt.Remote = procPool(h.runner, remote.WorkerCommand)
	}
	return h
}

// An apiError is an answer other than a report.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func fail(status int, msg string) *apiError { return &apiError{status, msg} }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	client := clientkey.Of(r)
	cfg, err := h.serve(w, r, client)
	attrs := []slog.Attr{slog.String("client", client), slog.String("demo", cfg.Demo),
		slog.String("strategy", strings.Join(cfg.Strategies, ",")), slog.Duration("took", time.Since(start))}
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, ae)
		attrs = append(attrs, slog.Int("status", ae.status), slog.String("reason", ae.msg))
		h.opt.Log.LogAttrs(r.Context(), slog.LevelWarn, "run refused", attrs...)
		return
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	h.opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "run", attrs...)
}

// serve checks the request and runs it, returning the config run and an
// *apiError for anything to answer instead of a report.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, client string) (demo.Config, error) {
	var cfg demo.Config
	if h.opt.Off {
		return cfg, fail(http.StatusForbidden, "the native-run API is turned off on this server")
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		return cfg, fail(http.StatusMethodNotAllowed, "use POST with a JSON object")
	}
	// A JSON content type also keeps other sites' pages out: it cannot be
	// sent cross-origin without a CORS preflight, which this server fails.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return cfg, fail(http.StatusUnsupportedMediaType, "send Content-Type: application/json")
	}
	values, err := parseBody(http.MaxBytesReader(w, r.Body, h.opt.MaxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return cfg, fail(http.StatusRequestEntityTooLarge, "body: over "+itoa(h.opt.MaxBody)+" bytes")
	}
	if err != nil {
		return cfg, fail(http.StatusBadRequest, err.Error())
	}
	format, err := takeFormat(values, r.URL.Query().Get("format"))
	if err != nil {
		return cfg, fail(http.StatusBadRequest, err.Error())
	}
	if cfg, err = demo.Parse(values); err != nil {
		return cfg, fail(http.StatusBadRequest, err.Error())
	}
	if cfg.Demo == demo.TaskID {
		return cfg, fail(http.StatusBadRequest, "demo task: a user's task runs in the browser, or with lanes run --task on one's own machine; never on this server")
	}
	if format == FormatTrace && acceptsNDJSON(r.Header.Get("Accept")) {
		return cfg, fail(http.StatusBadRequest, "format=trace: a trace is written whole, not streamed; ask for application/json")
	}
	if err := h.opt.Caps.check(cfg, h.opt.Deadline); err != nil {
		return cfg, fail(http.StatusBadRequest, err.Error())
	}
	if !h.running.Acquire(client) {
		w.Header().Set("Retry-After", "1")
		return cfg, fail(http.StatusTooManyRequests, "you have a run in progress; one at a time")
	}
	defer h.running.Release(client)
	select {
	case h.sem <- struct{}{}:
		defer func() { <-h.sem }()
	default:
		w.Header().Set("Retry-After", "2")
		return cfg, fail(http.StatusServiceUnavailable, "busy: the server is running as many demos as it can")
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opt.Deadline)
	defer cancel()
	return cfg, h.run(ctx, w, r, cfg, format)
}

// The formats of the answer: the report (the default), or the runs as a
// trace in the Chrome Trace Event Format (core/trace), for Perfetto.
const (
	FormatReport = "report"
	FormatTrace  = "trace"
)

// takeFormat takes "format" out of the body's values (or, if the body has
// none, the URL's query) and checks it.
func takeFormat(values map[string]string, query string) (string, error) {
	f, ok := values["format"]
	delete(values, "format")
	if !ok {
		f = query
	}
	switch f {
	case "", FormatReport:
		return FormatReport, nil
	case FormatTrace:
		return FormatTrace, nil
	}
	return "", fmt.Errorf("format=%q: want %s or %s", f, FormatReport, FormatTrace)
}

// run runs cfg and writes the report, streamed or whole.
func (h *Handler) run(ctx context.Context, w http.ResponseWriter, r *http.Request, cfg demo.Config, format string) error {
	env := demo.Env{
		Platform:   report.Here("native"),
		Runner:     h.runner,
		Remote:     h.opt.Remote,
		TargetBase: TargetBase,
	}
	stream := acceptsNDJSON(r.Header.Get("Accept"))
	if h.opt.WriteDeadline != nil {
		d := h.opt.WriteDeadline(h.opt.Deadline, answerBytes(cfg, stream))
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
	}
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	if !stream {
		rep, err := demo.Run(ctx, env, cfg)
		if err != nil {
			return fail(http.StatusInternalServerError, err.Error())
		}
		hd.Set("Content-Type", "application/json")
		if format == FormatTrace {
			return trace.Write(w, rep)
		}
		return json.NewEncoder(w).Encode(rep)
	}
	hd.Set("Content-Type", NDJSON)
	rc := http.NewResponseController(w)
	out := newStream(w, func() { _ = rc.Flush() })
	total := cfg.Tasks * len(cfg.Strategies) * max(cfg.Runs, 1)
	done := 0 // OnTask is called from one goroutine at a time
	env.OnTask = func(strategy string, t report.Task) {
		done++
		out.send(progress{Type: "progress", Strategy: strategy, Done: done, Total: total, Task: t})
	}
	rep, err := demo.Run(ctx, env, cfg)
	out.close()
	enc := json.NewEncoder(w)
	if err != nil {
		enc.Encode(final{Type: "error", Message: err.Error()})
		return err
	}
	enc.Encode(final{Type: "report", Report: &rep})
	return nil
}

// taskBytes bounds what one task adds to an answer: its record in each of
// the report's runs (about 140 bytes measured), or its events in a trace,
// and streamed, a progress line for each time it runs (about 215), with
// room for its phases.
const taskBytes = 1 << 10

// answerBytes is the most bytes the answer to cfg can take: a record of
// every task in each strategy's run, and streamed, a progress line for
// each task of every repeat as well. The connections demo's ten thousand
// tasks make it tens of megabytes, where other demos' caps keep it to a
// few.
func answerBytes(cfg demo.Config, streamed bool) int64 {
	n := int64(cfg.Tasks) * int64(len(cfg.Strategies))
	if streamed {
		n *= int64(1 + max(cfg.Runs, 1))
	}
	return 64<<10 + n*taskBytes
}

// progress is a line of a streamed answer.
type progress struct {
	Type     string      `json:"type"`
	Strategy string      `json:"strategy"`
	Done     int         `json:"done"`
	Total    int         `json:"total"`
	Task     report.Task `json:"task"`
}

// final is the last line of a streamed answer.
type final struct {
	Type    string         `json:"type"`
	Report  *report.Report `json:"report,omitempty"`
	Message string         `json:"message,omitempty"`
}

func acceptsNDJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := strings.Cut(part, ";")
		if strings.TrimSpace(mt) == NDJSON {
			return true
		}
	}
	return false
}

func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]string{"error": e.msg})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
