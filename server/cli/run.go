package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/target"
	"lanes/core/trace"
	"lanes/core/workload"
)

// runUsage is the help of lanes run: the demos' knobs come from
// demo.Knobs.
func runUsage() string {
	var b strings.Builder
	b.WriteString("usage: lanes run DEMO [flags]\n       lanes run --task FILE.go [flags]   your own task (package task), built with your Go toolchain\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  --strategy a,b|all\tthe strategies to compare (default: the demo's)\n")
	for _, k := range demo.Knobs {
		arg := "N"
		if k.Unit == demo.UnitMs {
			arg = "200ms"
		}
		fmt.Fprintf(tw, "  --%s %s\t%s\n", k.Name, arg, k.Help)
	}
	fmt.Fprintf(tw, "  --target URL[,URL]\tURLs to download, for the demos that download\n")
	fmt.Fprintf(tw, "  --gomaxprocs N\tthe Go scheduler's threads\n")
	fmt.Fprintf(tw, "  --json\tthe report alone\n")
	fmt.Fprintf(tw, "  --timeline\tdraw the lanes\n")
	fmt.Fprintf(tw, "  --trace FILE\talso write the runs as a trace for Perfetto or chrome://tracing\n")
	tw.Flush()
	b.WriteString("lanes list shows each demo's strategies and knobs: what each means there\n" +
		"(size and latency differ between demos), its default and bounds.")
	return b.String()
}

// Run runs `lanes run DEMO [flags]`: the demo natively, printing a table
// (and with --timeline the lanes), or with --json the report alone.
func Run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, runUsage())
			return nil
		}
		return usageErr("run: name a demo first: lanes run DEMO [flags]; demos: %s", strings.Join(demo.IDs(), ", "))
	}
	values, opt, err := parseRunFlags(args)
	if err != nil {
		return err
	}
	cfg, err := demo.Parse(values)
	if err != nil {
		return usageErr("run: %v", err)
	}
	if opt.gomaxprocs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(opt.gomaxprocs))
	}
	env, stopTargets, err := nativeEnv(cfg)
	if err != nil {
		return err
	}
	defer stopTargets()
	d, _ := demo.Lookup(cfg.Demo)
	prog := newProgress(stderr, len(cfg.Strategies)*cfg.Tasks*max(cfg.Runs, 1))
	env.OnTask = prog.task
	rep, err := demo.Run(ctx, env, cfg)
	prog.stop()
	if err != nil {
		return err
	}
	if opt.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printTable(stdout, d, rep)
		if opt.timeline {
			for _, run := range rep.Runs {
				drawTimeline(stdout, run, 64)
			}
		}
	}
	if opt.trace != "" {
		if err := writeTrace(opt.trace, rep); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errors.New("run: stopped; the report above is partial")
	}
	for _, run := range rep.Runs {
		if run.Error != "" {
			return fmt.Errorf("run: %s: %s", run.Strategy, run.Error)
		}
	}
	return nil
}

type runOptions struct {
	json, timeline bool
	gomaxprocs     int
	trace          string // a file to write the trace to
}

// writeTrace writes rep as a Chrome Trace Event Format file (core/trace).
func writeTrace(name string, rep report.Report) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("run: --trace: %w", err)
	}
	if err := trace.Write(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("run: --trace: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("run: --trace: %w", err)
	}
	return nil
}

// parseRunFlags reads DEMO and the flags into the name=value pairs
// demo.Parse checks, and the command line's own options.
func parseRunFlags(args []string) (map[string]string, runOptions, error) {
	var opt runOptions
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	names := []string{"strategy"}
	for _, k := range demo.Knobs {
		names = append(names, k.Name)
	}
	for _, n := range names {
		fs.String(n, "", "")
	}
	var targets []string
	fs.Func("target", "", func(s string) error { targets = append(targets, s); return nil })
	fs.BoolVar(&opt.json, "json", false, "")
	fs.BoolVar(&opt.timeline, "timeline", false, "")
	fs.StringVar(&opt.trace, "trace", "", "")
	procs := fs.String("gomaxprocs", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, opt, usageErr("%s", runUsage())
		}
		return nil, opt, usageErr("run: %v", err)
	}
	if fs.NArg() > 0 {
		return nil, opt, usageErr("run: unexpected argument %q (flags go after the demo)", fs.Arg(0))
	}
	values := map[string]string{"demo": args[0]}
	fs.Visit(func(f *flag.Flag) {
		for _, n := range names {
			if f.Name == n {
				values[n] = f.Value.String()
			}
		}
	})
	if len(targets) > 0 {
		values["target"] = strings.Join(targets, ",")
	}
	if *procs != "" {
		n, err := strconv.Atoi(*procs)
		if err != nil || n < 1 || n > 1024 {
			return nil, opt, usageErr("run: --gomaxprocs=%q: want a whole number from 1 to 1024", *procs)
		}
		opt.gomaxprocs = n
	}
	return values, opt, nil
}

// The bounds of one download in a native run: a server that accepts and
// never answers, or stops sending, fails the task with an error naming the
// URL (variables for the tests).
var (
	fetchHeaderTimeout = workload.FetchHeaderTimeout
	fetchTimeout       = workload.FetchTimeout
)

// nativeEnv is the environment of a native run: local work in goroutines,
// remote work in worker processes, and when cfg downloads from the built-in
// targets, those served on a loopback port for the run's length.
func nativeEnv(cfg demo.Config) (demo.Env, func(), error) {
	env := demo.Env{
		Platform: report.Here("native"),
		Runner: workload.Runner{Client: workload.HTTP(&http.Client{Transport: &http.Transport{
			Proxy: nil, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second,
			ResponseHeaderTimeout: fetchHeaderTimeout,
		}}), Timeout: fetchTimeout},
		Remote: func(k int) (remote.Pool, func(), error) {
			return remote.LendProcs(remote.WorkerCommand)(k)
		},
	}
	d, _ := demo.Lookup(cfg.Demo)
	if !d.Targets || len(cfg.Targets) > 0 {
		return env, func() {}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return env, nil, fmt.Errorf("serve built-in targets: %w", err)
	}
	srv := &http.Server{Handler: target.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	env.TargetBase = "http://" + ln.Addr().String()
	return env, func() { srv.Close() }, nil
}

// progress reports on stderr, when it is a terminal, how far a run longer
// than a second has got.
type progress struct {
	done  atomic.Int64
	total int
	quit  chan struct{}
	ended chan struct{}
}

func newProgress(stderr io.Writer, total int) *progress {
	p := &progress{total: total, quit: make(chan struct{}), ended: make(chan struct{})}
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) {
		close(p.ended)
		return p
	}
	go func() {
		defer close(p.ended)
		select {
		case <-time.After(time.Second):
		case <-p.quit:
			return
		}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(f, "\r%d/%d tasks", p.done.Load(), p.total)
			select {
			case <-tick.C:
			case <-p.quit:
				fmt.Fprint(f, "\r\033[K")
				return
			}
		}
	}()
	return p
}

func (p *progress) task(string, report.Task) { p.done.Add(1) }

func (p *progress) stop() {
	close(p.quit)
	<-p.ended
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
