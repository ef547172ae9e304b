// Package build is the build service of `lanes serve`: it compiles a
// user's task — one Go file, package task, the task API
// (workload.TaskFunc) — with the server's Go toolchain into a small Web
// Worker module (wasm/taskworker: the task, the worker protocol and the
// strategies, no UI), which the page runs exactly as it runs its own.
//
//	GET  /api/build             what the service can do: {"enabled", "state", "reason", "go", ...}
//	POST /api/build             {"source": "..."} → {"wasm": URL, "exec": URL} or {"error", "diagnostics"}
//	GET  /build/KEY.wasm        a built module, immutable, brotli or gzip as accepted
//	GET  /build/wasm_exec.HASH.js   the toolchain's wasm_exec.js, immutable
//	GET  /build/starter/DEMO.go     a demo's work as a task, to start from (core/starter)
//
// The source is hostile. It is parsed and checked first (package task,
// a func Task, imports from Imports alone, no directive but Directives),
// then built with no network (GOPROXY=off, the one module it needs
// vendored, GOTOOLCHAIN=local), no cgo, in a clean environment, every
// process of the build under rlimits of memory, file size and CPU time,
// in a process group killed at the build's deadline; the module's size is
// capped. Builds are bounded in flight, overall and per client (429), and
// cached by a hash of the source, the toolchain and Lanes' own source, so
// a module's URL never changes what it serves.
//
// Lanes' source comes from the program itself (package module): the
// service lays it out once in its directory, vendoring
// github.com/hack-pad/safejs from the module cache, which must hold it.
// The service starts (Start) on first use, or at once in lanes serve:
// laying out the source and a first build that fills the build cache.
package build

import (
	"cmp"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"lanes/server/clientkey"
)

// Options configure the service. Zero values take the defaults.
type Options struct {
	// Off turns the service off: the editor is read-only.
	Off bool
	// Go is the go command; "" means the one in PATH.
	Go string
	// Dir is the service's directory: Lanes' source, the built modules,
	// builds under way. "" means lanes/build in the user's cache
	// directory.
	Dir string
	// GoCache is the go command's build cache; "" means one in Dir, the
	// service's own.
	GoCache string
	// MaxSource is the most bytes of source a build takes (413 beyond).
	MaxSource int64
	// Timeout is the longest one build may take, queueing not counted.
	Timeout time.Duration
	// StartTimeout bounds the start: laying out the source and the first
	// build, which compiles the standard library for the browser.
	StartTimeout time.Duration
	// Memory is the most data memory each process of a build may map:
	// the go command, the compiler, the linker (RLIMIT_DATA).
	Memory int64
	// MaxOutput is the largest module kept, and twice it the largest
	// file a build's process may write (RLIMIT_FSIZE).
	MaxOutput int64
	// Concurrent is how many builds run at once; PerClient how many one
	// client may have under way (package clientkey names clients).
	Concurrent int
	PerClient  int
	// QueueWait is how long a build waits for one of the Concurrent
	// slots before the answer is 503.
	QueueWait time.Duration
	// CacheBytes bounds the built modules kept; the least recently used
	// go first.
	CacheBytes int64
	Log        *slog.Logger // nil discards
}

// The defaults of Options. A build of a one-line edit takes about a
// second with the build cache warm, the first build (the start) about 15 s
// on two cores. The compiler and the linker need about 200 MiB each.
const (
	DefaultMaxSource    = 64 << 10
	DefaultTimeout      = 30 * time.Second
	DefaultStartTimeout = 10 * time.Minute
	DefaultMemory       = 1 << 30
	DefaultMaxOutput    = 32 << 20
	DefaultConcurrent   = 2
	DefaultPerClient    = 1
	DefaultQueueWait    = 10 * time.Second
	DefaultCacheBytes   = 1 << 30
)

// The service's states, as GET /api/build says them.
const (
	StateIdle     = "idle"     // not started: the next use starts it
	StateStarting = "starting" // laying out the source, first build
	StateReady    = "ready"
	StateOff      = "off" // turned off, or cannot build here: see the reason
)

// A Service builds tasks. Its zero value is not usable: call New.
type Service struct {
	opt Options

	start   sync.Once
	started chan struct{} // closed when the start has ended, well or not
	stop    context.CancelFunc

	mu     sync.Mutex
	state  string
	reason string     // why it is off
	tc     *toolchain // once ready

	slots   chan struct{}      // one for each build that may run at once
	clients *clientkey.Counter // builds under way, by client
	cacheMu sync.Mutex         // the modules' directory while it is trimmed
	zmu     sync.Mutex         // one module compressed at a time
}

// New returns the service; it starts on first use, or with Start.
func New(opt Options) *Service {
	opt.MaxSource = cmp.Or(opt.MaxSource, DefaultMaxSource)
	opt.Timeout = cmp.Or(opt.Timeout, DefaultTimeout)
	opt.StartTimeout = cmp.Or(opt.StartTimeout, DefaultStartTimeout)
	opt.Memory = cmp.Or(opt.Memory, DefaultMemory)
	opt.MaxOutput = cmp.Or(opt.MaxOutput, DefaultMaxOutput)
	opt.Concurrent = cmp.Or(opt.Concurrent, DefaultConcurrent)
	opt.PerClient = cmp.Or(opt.PerClient, DefaultPerClient)
	opt.QueueWait = cmp.Or(opt.QueueWait, DefaultQueueWait)
	opt.CacheBytes = cmp.Or(opt.CacheBytes, DefaultCacheBytes)
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{opt: opt, started: make(chan struct{}), state: StateIdle,
		slots: make(chan struct{}, opt.Concurrent), clients: clientkey.NewCounter(opt.PerClient)}
	if opt.Off {
		s.state, s.reason = StateOff, "builds are turned off on this server (lanes serve --build=off): the editor is read-only"
	}
	return s
}

// Start starts the service in the background, once: it lays out Lanes'
// source and makes a first build. Ready waits for it.
func (s *Service) Start() {
	s.start.Do(func() {
		if s.opt.Off {
			close(s.started)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.opt.StartTimeout)
		s.mu.Lock()
		s.stop = cancel
		s.mu.Unlock()
		s.set(StateStarting, "", nil)
		go func() {
			defer close(s.started)
			defer cancel()
			began := time.Now()
			tc, err := s.setUp(ctx)
			if err != nil {
				s.opt.Log.Warn("build service off", "reason", err.Error())
				s.set(StateOff, err.Error(), nil)
				return
			}
			s.opt.Log.Info("build service ready", "go", tc.version, "dir", s.opt.Dir, "took", time.Since(began))
			s.set(StateReady, "", tc)
		}()
	})
}

// Ready starts the service if it has not started and waits until it is
// ready, or off, or ctx is done; it returns the state.
func (s *Service) Ready(ctx context.Context) string {
	s.Start()
	select {
	case <-s.started:
	case <-ctx.Done():
	}
	st, _, _ := s.get()
	return st
}

// Close stops a start under way and waits for it.
func (s *Service) Close() error {
	s.start.Do(func() { close(s.started) }) // never to start now
	s.mu.Lock()
	stop := s.stop
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	<-s.started
	return nil
}

func (s *Service) set(state, reason string, tc *toolchain) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.reason, s.tc = state, reason, tc
}

func (s *Service) get() (string, string, *toolchain) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state, s.reason, s.tc
}

// dir returns the service's directory, absolute.
func (s *Service) dir() (string, error) {
	d := s.opt.Dir
	if d == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		d = filepath.Join(base, "lanes", "build")
	}
	return filepath.Abs(d)
}

// Options returns the service's options, defaults filled in.
func (s *Service) Options() Options { return s.opt }
