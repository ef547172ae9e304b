// Package server is the HTTP server behind Lanes' browser app: embedded
// assets, built-in fetch targets, a safe fetch proxy, the native-run API and
// the build service of users' tasks.
// Main is `lanes serve`; New builds the handler that tests and the load
// test drive directly.
package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"lanes/server/build"
	"lanes/server/connlimit"
)

// Main runs `lanes serve` with the command-line args until ctx is done,
// then shuts down gracefully.
func Main(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg.Log = slog.New(slog.NewTextHandler(stderr, nil))
	bopt := cfg.Build
	bopt.Log = cfg.Log
	cfg.Builds = build.New(bopt)
	defer cfg.Builds.Close()
	h, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	cfg.Builds.Start() // its first build fills the build cache before anyone waits
	cfg.Log.Info("lanes serve", "url", "http://"+ln.Addr().String(), "allow", cfg.Allow,
		"allow_addr", cfg.AllowAddrs, "run_api", !cfg.NoRun, "build", !cfg.Build.Off, "content", cfg.Content)
	if onLoopback(ln) {
		h = loopbackHosts(h)
	}
	return ServeLimited(ctx, ln, h, cfg.Log, cfg.Limits)
}

func parseFlags(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("lanes serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	var allow, allowAddr string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on")
	fs.StringVar(&allow, "allow", strings.Join(DefaultAllow, ","), "`hosts` the fetch proxy may fetch from, comma separated")
	fs.StringVar(&allowAddr, "allow-addr", "", "exact `IP:port` upstreams the proxy may dial despite the address rules, comma separated (for tests)")
	fs.BoolVar(&cfg.NoRun, "no-run", false, "turn off the native-run API, POST /api/run")
	buildMode := fs.String("build", "on", "`on` or off: the build service of users' tasks, POST /api/build (off: the page's editor is read-only)")
	fs.StringVar(&cfg.Build.Dir, "build-dir", "", "the build service's `dir` (Lanes' source, built modules); default lanes/build in the user's cache directory")
	fs.BoolVar(&cfg.TestHooks, "test-hooks", false, "pages install the browser tests' hooks (window.lanesTest); for the tests, never on a public server")
	fs.StringVar(&cfg.Content, "content", "", "serve the app's files from `dir` on disk instead of the embedded ones (for development)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	switch *buildMode {
	case "on":
	case "off":
		cfg.Build.Off = true
	default:
		return cfg, fmt.Errorf("serve: --build=%q: want on or off", *buildMode)
	}
	cfg.Allow = splitList(allow)
	cfg.AllowAddrs = splitList(allowAddr)
	return cfg, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Timeouts and limits of the HTTP server. WriteTimeout is above the longest
// legitimate response, a native run's deadline; each route sets a shorter
// write deadline sized to its own largest answer (see New). An idle
// keep-alive connection is closed after idleTimeout: a browser opens a new
// one in a round trip.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = RunDeadline + 30*time.Second
	idleTimeout       = 20 * time.Second
	maxHeaderBytes    = 16 << 10
	shutdownGrace     = 10 * time.Second
)

// Limits bound the connections the server holds; a connection over them
// is closed as soon as it is accepted. Zero values take the defaults.
type Limits struct {
	Conns          int // open at once, in all; default 1024
	ConnsPerClient int // open at once from one client (package clientkey); default 64
}

// The defaults of Limits: a browser opens at most 6 connections to an
// HTTP/1.1 origin, and the open-file limit is often 1024 soft (Go raises
// it to the hard limit, but a host may set both low).
const (
	DefaultConns          = 1024
	DefaultConnsPerClient = 64
)

// Serve serves h on ln until ctx is done, then stops accepting, cancels
// the requests in flight (a native run ends as partial) and waits for them
// up to a grace period. The connections are bounded by the default Limits.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return ServeLimited(ctx, ln, h, log, Limits{})
}

// ServeLimited is Serve with the connections bounded by lim.
func ServeLimited(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, lim Limits) error {
	if lim.Conns <= 0 {
		lim.Conns = DefaultConns
	}
	if lim.ConnsPerClient <= 0 {
		lim.ConnsPerClient = DefaultConnsPerClient
	}
	ln = connlimit.New(ln, lim.Conns, lim.ConnsPerClient)
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	cancel()
	sctx, stop := context.WithTimeout(context.Background(), shutdownGrace)
	defer stop()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
