package server

import (
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"lanes/core/demo"
	"lanes/core/target"
	"lanes/server/assets"
	"lanes/server/build"
	"lanes/server/proxy"
	"lanes/server/runapi"
	"lanes/server/static"
)

// DefaultAllow are the hosts the fetch proxy may fetch from unless told
// otherwise: the sites the classic concurrency tutorials download from.
var DefaultAllow = []string{"www.jython.org", "olympus.realpython.org"}

// RunDeadline bounds one native run: demo.MaxRunTime, whose timeout knob
// the API caps there.
const RunDeadline = demo.MaxRunTime

// Config configures the server.
type Config struct {
	Addr       string       // where Main listens
	Allow      []string     // hosts the proxy may fetch from
	AllowAddrs []string     // exact IP:port upstreams the proxy may dial (tests)
	NoRun      bool         // turn off POST /api/run
	Content    string       // serve assets from this directory, not the embedded ones
	TestHooks  bool         // pages install the browser tests' hooks (tests only)
	Assets     fs.FS        // the app's files; nil means the embedded ones (or Content)
	Log        *slog.Logger // nil discards
	// Proxy bounds the fetch proxy; its Policy and Log are set from the
	// fields above.
	Proxy proxy.Options
	// Run bounds the native-run API; Off and Log are set from the fields
	// above.
	Run runapi.Options
	// Limits bound the connections Main's server holds.
	Limits Limits
	// Build configures the build service of users' tasks; its Log is set
	// from the field above. Builds, if set, is the service itself, made
	// from Build by Main, which starts it at once and closes it at the
	// end; otherwise New makes one that starts on first use.
	Build  build.Options
	Builds *build.Service
}

// New returns the server's handler:
//
//	GET  /, /embed, /NAME, /h/HASH/NAME   the app's files (package static)
//	GET  /t/{name}                        built-in fetch targets (core/target)
//	GET  /proxy?url=                      the fetch proxy (package proxy)
//	POST /api/run                         a native run (package runapi)
//	GET, POST /api/build, GET /build/…    the build service of users' tasks (package build)
//	GET  /healthz                         "ok"
func New(cfg Config) (http.Handler, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	files, err := assetHandler(cfg)
	if err != nil {
		return nil, err
	}
	pol, err := proxy.NewPolicy(cfg.Allow, cfg.AllowAddrs)
	if err != nil {
		return nil, err
	}
	popt := cfg.Proxy
	popt.Policy, popt.Log = pol, cfg.Log
	mux := http.NewServeMux()
	mux.Handle("/t/", writeWithinFunc(targetDeadline, target.Handler()))
	mux.Handle("/proxy", writeWithin(sized(cmp.Or(popt.Timeout, proxy.DefaultTimeout), cmp.Or(popt.MaxBody, proxy.DefaultMaxBody)),
		proxy.New(popt)))
	ropt := cfg.Run
	ropt.Off, ropt.Log = ropt.Off || cfg.NoRun, cfg.Log
	if ropt.Deadline == 0 {
		ropt.Deadline = RunDeadline
	}
	// A run's report comes at its deadline at the latest. Its size
	// depends on the run (ten thousand tasks make megabytes): the API
	// sizes each answer's deadline by the same rule, once it has read the
	// request; refusals and small runs keep the route's.
	if ropt.WriteDeadline == nil {
		ropt.WriteDeadline = sized
	}
	mux.Handle("/api/run", writeWithin(sized(ropt.Deadline, 1<<20), runapi.New(ropt)))
	builds := cfg.Builds
	if builds == nil {
		bopt := cfg.Build
		bopt.Log = cfg.Log
		builds = build.New(bopt)
	}
	bh := builds.Handler()
	bopt := builds.Options()
	// A build may wait for the service's start and for a slot, then run;
	// its answer is small. A module is at most MaxOutput.
	mux.Handle("/api/build", writeWithin(sized(2*bopt.Timeout+bopt.QueueWait, 1<<20), bh))
	mux.Handle("/build/", writeWithin(sized(0, bopt.MaxOutput), bh))
	mux.Handle("GET /healthz", writeWithin(sized(0, 0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, "ok\n")
	})))
	mux.Handle("/", files)
	return mux, nil
}

// assetHandler serves the app's files, with a write deadline sized to the
// largest (files served from disk while developing have none of their
// own: the server's WriteTimeout bounds them).
func assetHandler(cfg Config) (http.Handler, error) {
	if cfg.Content != "" {
		if st, err := os.Stat(cfg.Content); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("serve: --content %s: not a directory", cfg.Content)
		}
		return static.Dev(os.DirFS(cfg.Content), cfg.Log)
	}
	fsys := cfg.Assets
	if fsys == nil {
		fsys = assets.FS()
	}
	t, err := static.Load(fsys, static.LoadOptions{Precompressed: true, TestHooks: cfg.TestHooks})
	if err != nil {
		return nil, err
	}
	if _, ok := t.Hashed(static.Page); !ok {
		cfg.Log.Warn("no " + static.Page + " among the assets: run make assets")
	}
	return writeWithin(sized(0, t.Largest()), static.New(t)), nil
}
