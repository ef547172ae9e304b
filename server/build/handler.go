// The service's HTTP routes: what it can do, build requests, the built
// modules, wasm_exec.js and the starters.

package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"go/token"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"lanes/core/starter"
	"lanes/server/clientkey"
	"lanes/server/module"
	"lanes/server/static"
)

// answer is the JSON of POST /api/build: a module's URL and the URL of
// the wasm_exec.js it needs, or why not — error always, and diagnostics,
// on the source's lines, when the source is to blame (status 422).
type answer struct {
	Wasm        string              `json:"wasm,omitempty"`
	Exec        string              `json:"exec,omitempty"`
	Cached      bool                `json:"cached,omitempty"`
	Error       string              `json:"error,omitempty"`
	Diagnostics []module.Diagnostic `json:"diagnostics,omitempty"`
}

// Capability is the JSON of GET /api/build: whether the page may offer
// its editor, and what a build takes.
type Capability struct {
	// Enabled says builds can be asked for: the service is ready, or
	// starting (a build waits for it). When it is false the editor is
	// read-only, and Reason says why.
	Enabled bool   `json:"enabled"`
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	// Go is the toolchain's version, once ready.
	Go        string `json:"go,omitempty"`
	MaxSource int64  `json:"max_source"`
	// Imports are the packages a task may import; Signature is the
	// function it declares.
	Imports   []string `json:"imports"`
	Signature string   `json:"signature"`
	// Starters are the demos' work as tasks, to start from.
	Starters []Starter `json:"starters"`
}

// A Starter is a demo's work as a task: its code is at URL, and its
// answer is the demo's with Tasks tasks.
type Starter struct {
	Demo  string `json:"demo"`
	Tasks int    `json:"tasks"`
	URL   string `json:"url"`
}

// Handler serves the service's routes (see the package doc).
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/build", s.capability)
	mux.HandleFunc("POST /api/build", s.build)
	mux.HandleFunc("/api/build", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, answer{Error: "use GET for what the service can do, POST to build"})
	})
	mux.HandleFunc("GET /build/starter/{file}", s.starter)
	mux.HandleFunc("GET /build/{file}", s.file)
	return mux
}

func (s *Service) capability(w http.ResponseWriter, r *http.Request) {
	s.Start()
	state, reason, tc := s.get()
	c := Capability{Enabled: state == StateReady || state == StateStarting, State: state, Reason: reason,
		MaxSource: s.opt.MaxSource, Imports: Imports, Signature: module.Signature}
	if tc != nil {
		c.Go = tc.version
	}
	for _, st := range starter.All() {
		c.Starters = append(c.Starters, Starter{Demo: st.Demo, Tasks: st.Tasks, URL: "/build/starter/" + st.Demo + ".go"})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c)
}

// build answers POST /api/build, and logs what it did.
func (s *Service) build(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	client := clientkey.Of(r)
	a, k, err := s.serveBuild(w, r, client)
	attrs := []slog.Attr{slog.String("client", client), slog.String("key", k), slog.Duration("took", time.Since(start))}
	var rf *refusal
	switch {
	case errors.As(err, &rf):
		attrs = append(attrs, slog.Int("status", rf.status), slog.String("reason", rf.msg))
		s.opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "build refused", attrs...)
		writeJSON(w, rf.status, answer{Error: rf.msg, Diagnostics: rf.diags})
	case err != nil && r.Context().Err() != nil: // the client went away, or the server is stopping
		attrs = append(attrs, slog.String("err", err.Error()))
		s.opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "build abandoned", attrs...)
		writeJSON(w, http.StatusServiceUnavailable, answer{Error: "the build was stopped: the request was cancelled, or the server is stopping"})
	case err != nil:
		attrs = append(attrs, slog.String("err", err.Error()))
		s.opt.Log.LogAttrs(r.Context(), slog.LevelError, "build failed", attrs...)
		writeJSON(w, http.StatusInternalServerError, answer{Error: "the build failed on the server's side; see its log"})
	default:
		attrs = append(attrs, slog.Bool("cached", a.Cached))
		s.opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "build", attrs...)
		writeJSON(w, http.StatusOK, a)
	}
}

// serveBuild checks a build request and answers it from the cache or by
// building, returning the answer and the source's key, or a *refusal.
func (s *Service) serveBuild(w http.ResponseWriter, r *http.Request, client string) (answer, string, error) {
	if s.opt.Off { // refused before the body is read
		_, reason, _ := s.get()
		return answer{}, "", refuse(http.StatusServiceUnavailable, "%s", reason)
	}
	// A JSON body also keeps other sites' pages out: it cannot be sent
	// cross-origin without a CORS preflight, which this server fails.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return answer{}, "", refuse(http.StatusUnsupportedMediaType, "send Content-Type: application/json")
	}
	src, err := s.readSource(w, r)
	if err != nil {
		return answer{}, "", err
	}
	ctx := r.Context()
	// A build waits for the start (the first build after the server
	// started) up to Timeout, then has its own Timeout to build.
	wait, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	s.Ready(wait)
	cancel()
	state, reason, tc := s.get()
	switch {
	case ctx.Err() != nil:
		return answer{}, "", ctx.Err()
	case state == StateOff:
		return answer{}, "", refuse(http.StatusServiceUnavailable, "%s", reason)
	case state != StateReady:
		w.Header().Set("Retry-After", "5")
		return answer{}, "", refuse(http.StatusServiceUnavailable, "the build service is getting ready (it compiles the standard library once); try again shortly")
	}
	k := key(tc, src)
	// The checks come before the cache: a key names Lanes' source and the
	// toolchain, not these checks, and the cache outlives a server, so
	// what was built before answers only a source today's checks pass.
	if err := checkSource(src); err != nil {
		return answer{}, k, err
	}
	done := answer{Wasm: "/build/" + k + ".wasm", Exec: "/build/" + tc.execName, Cached: true}
	if ok, rf := s.cached(tc, k); ok {
		return done, k, nil
	} else if rf != nil {
		return answer{}, k, rf
	}
	if !s.clients.Acquire(client) {
		w.Header().Set("Retry-After", "1")
		return answer{}, k, refuse(http.StatusTooManyRequests, "you have a build under way; one at a time")
	}
	defer s.clients.Release(client)
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-time.After(s.opt.QueueWait):
		w.Header().Set("Retry-After", "5")
		return answer{}, k, refuse(http.StatusServiceUnavailable, "busy: the server is building as many tasks as it can; try again shortly")
	case <-ctx.Done():
		return answer{}, k, ctx.Err()
	}
	wasm, err := s.compile(ctx, tc, src, s.opt.Timeout)
	var rf *refusal
	if errors.As(err, &rf) && rf.cache {
		s.storeRefusal(tc, k, rf)
	}
	if err != nil {
		return answer{}, k, err
	}
	if err := s.store(tc, k+".wasm", wasm); err != nil {
		return answer{}, k, err
	}
	done.Cached = false
	return done, k, nil
}

// readSource reads the body, {"source": "..."}, within MaxSource.
func (s *Service) readSource(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// JSON spends at most two bytes on most characters of a source;
	// the source itself is checked after.
	body := http.MaxBytesReader(w, r.Body, 2*s.opt.MaxSource+4096)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	var req struct {
		Source *string `json:"source"`
	}
	err := dec.Decode(&req)
	if err == nil && dec.More() {
		err = errors.New("one JSON object, please")
	}
	if err == nil {
		_, err = io.Copy(io.Discard, body) // trailing space, or too much
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, refuse(http.StatusRequestEntityTooLarge, "source: over %d bytes", s.opt.MaxSource)
	case err != nil:
		return nil, refuse(http.StatusBadRequest, "body: want {\"source\": \"...\"}: %v", err)
	case req.Source == nil:
		return nil, refuse(http.StatusBadRequest, "body: want {\"source\": \"...\"}")
	case int64(len(*req.Source)) > s.opt.MaxSource:
		return nil, refuse(http.StatusRequestEntityTooLarge, "source: %d bytes, over %d", len(*req.Source), s.opt.MaxSource)
	}
	return []byte(*req.Source), nil
}

// checkSource parses the source and refuses what the service does not
// build (see check), on the source's lines.
func checkSource(src []byte) error {
	fset := token.NewFileSet()
	f, ds := module.Parse(fset, src)
	if f != nil {
		ds = append(ds, check(fset, f)...)
	}
	if len(ds) > 0 {
		return failed(ds)
	}
	return nil
}

// starter serves a demo's work as a task.
func (s *Service) starter(w http.ResponseWriter, r *http.Request) {
	demo, ok := strings.CutSuffix(r.PathValue("file"), ".go")
	st, found := starter.For(demo)
	if !ok || !found {
		http.Error(w, "no starter of that name", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(st.Code))
}

// file serves a built module, KEY.wasm, or the toolchain's
// wasm_exec.HASH.js: immutable, each by its name.
func (s *Service) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	_, _, tc := s.get()
	if tc == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if name == tc.execName {
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("ETag", `"`+strings.TrimSuffix(name, ".js")+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(tc.exec))
		return
	}
	k, ok := strings.CutSuffix(name, ".wasm")
	if !ok || !validKey(k) {
		http.NotFound(w, r)
		return
	}
	h.Set("Vary", "Accept-Encoding")
	path, enc := tc.out(name), ""
	for _, e := range []string{"br", "gzip"} {
		if static.Accepts(r.Header.Get("Accept-Encoding"), e) {
			p, err := s.encoded(tc, k, e)
			if err != nil {
				s.opt.Log.Error("build: compressing a module", "key", k, "err", err)
			}
			if p != "" && err == nil {
				path, enc = p, e
			}
			break
		}
	}
	f, err := os.Open(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	h.Set("Content-Type", "application/wasm")
	etag := k
	if enc != "" {
		h.Set("Content-Encoding", enc)
		etag += "-" + enc
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, f)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // an error: the client went away
}
