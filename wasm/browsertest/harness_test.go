//go:build !js

// Package browsertest drives the real app in real Chromium: it starts the
// real server (bin/lanes, built by `make build`) on a free loopback port
// and runs the page's demos, the embed protocol, Stop and the screenshots
// through chromedp. Chromium is required: without it the tests fail and
// say how to install it.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var (
	// base is the server's URL, as http://127.0.0.1:PORT.
	base string
	// browser is the context of the one Chromium all tests share.
	browser context.Context
	// root is the repository's top folder.
	root string
	// site is an "external" web site on another port, which the server's
	// fetch proxy is allowed to fetch from (--allow-addr).
	site string
)

// siteBody is the body of every page of the external site: its path,
// repeated to 1000 bytes.
func siteBody(path string) []byte {
	return bytes.Repeat([]byte(path), 1000/len(path)+1)[:1000]
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if root, err = filepath.Abs("../.."); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(chromium); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: FAIL: Chromium not found at %s (%v).\n"+
			"Install it (apt-get install -y chromium, or `make chromium` as root) or set CHROMIUM=/path/to/chromium.\n", chromium, err)
		return 1
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	upstream := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(siteBody(r.URL.Path))
	})}
	go upstream.Serve(l)
	defer upstream.Close()
	site = "http://" + l.Addr().String()
	stop, err := startServer(l.Addr().String())
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: FAIL:", err)
		return 1
	}
	defer stop()
	chromiumPath = chromium
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions()...)
	defer cancelAlloc()
	var cancelBrowser context.CancelFunc
	browser, cancelBrowser = chromedp.NewContext(alloc)
	defer cancelBrowser()
	if _, err := chromedp.Run(browser, chromedp.Navigate("about:blank")); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: FAIL: start Chromium:", err)
		return 1
	}
	return m.Run()
}

// chromiumPath is the Chromium binary the tests run.
var chromiumPath string

// freshBrowser starts a new Chromium with a fresh profile (cold HTTP
// cache, cold code cache), opens a blank tab, and returns once the
// machine is quiet again (settle). A fresh Chromium spends about a CPU
// second after its start on its own UI (the omnibox popup's WebUI, in a
// renderer of its own): on 2 cores that fell on a first visit's first
// measured run, which then ran 15–25% slower than alone and made 8
// goroutines in one worker look faster than sequential. A reader's
// browser is running before they open a tutorial; a benchmark's should be
// too.
func freshBrowser(tb testing.TB) (context.Context, context.CancelFunc) {
	tb.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions()...)
	ctx, cancel := chromedp.NewContext(alloc)
	stop := func() {
		cancel()
		cancelAlloc()
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		stop()
		tb.Fatalf("start Chromium: %v", err)
	}
	settle()
	return ctx, stop
}

// settle waits until the machine's CPUs have been idle (under 5% busy)
// for 300 ms, or 10 s have passed.
func settle() {
	calm := 0
	busy0, total0 := cpuTicks()
	if total0 == 0 {
		return // no /proc/stat: nothing to wait for
	}
	for range 100 {
		time.Sleep(100 * time.Millisecond)
		busy, total := cpuTicks()
		if total > total0 && (busy-busy0)/(total-total0) < 0.05 {
			calm++
		} else {
			calm = 0
		}
		if calm == 3 {
			return
		}
		busy0, total0 = busy, total
	}
}

// cpuTicks is the machine's busy and total CPU time so far, in ticks, from
// the first line of /proc/stat (user nice system idle iowait irq softirq
// steal …): busy is all but idle and iowait.
func cpuTicks() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	for i, f := range fields[1:min(len(fields), 9)] {
		v, _ := strconv.ParseFloat(f, 64)
		total += v
		if i != 3 && i != 4 {
			busy += v
		}
	}
	return busy, total
}

// chromiumOptions start headless Chromium as the tests and benchmarks
// run it. With no user-data-dir, chromedp gives every browser it starts a
// new temporary profile: a cold HTTP cache and a cold code cache.
func chromiumOptions() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
}

// startServer runs bin/lanes serve on a free port, its proxy allowed to
// fetch from upstream (IP:port), and waits for /healthz.
func startServer(upstream string) (stop func(), err error) {
	bin := filepath.Join(root, "bin", "lanes")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s missing: run `make build` first (make test-browser does)", bin)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--allow-addr", upstream, "--test-hooks")
	// The server's log goes to a file: on the test's output it would break
	// the benchmark's result lines.
	if err := os.MkdirAll(filepath.Join(root, "test-output"), 0o755); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(root, "test-output", "server.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logFile.Close()
	}
	base = "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return nil, errors.New("bin/lanes serve did not answer /healthz within 15s")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// page opens a new tab. A page exception or a console.error fails the
// test (when the test ends), unless its text contains one of allow;
// warnings go to the log.
func page(t *testing.T, allow ...string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	var mu sync.Mutex
	over := false
	var problems []string
	t.Cleanup(func() {
		mu.Lock()
		over = true
		found := problems
		mu.Unlock()
		cancel()
		for _, p := range found {
			t.Errorf("the page reported: %s", p)
		}
	})
	report := func(kind, text string) {
		for _, a := range allow {
			if strings.Contains(text, a) {
				t.Logf("%s (allowed): %s", kind, text)
				return
			}
		}
		problems = append(problems, kind+": "+text)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		if over {
			return
		}
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			text := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				text += " " + ev.ExceptionDetails.Exception.Description
			}
			report("exception", text)
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			switch ev.Type {
			case runtime.ConsoleAPICalledTypeError:
				report("console.error", strings.Join(parts, " "))
			case runtime.ConsoleAPICalledTypeWarning:
				t.Logf("console.warning: %s", strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatalf("chromedp: %v", err)
	}
	return ctx
}

// screenshot takes a picture with the action shot, in up to three tries
// of 30 s each. Headless Chromium's Page.captureScreenshot can wait for a
// frame from a compositor gone idle, for minutes (a full-page picture of
// the editor waited 8 minutes in a suite beside another); between tries a
// screencast, started and stopped, has the compositor make a frame.
func screenshot(t *testing.T, ctx context.Context, shot chromedp.Action[[]byte]) []byte {
	t.Helper()
	for try := 1; ; try++ {
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		png, err := chromedp.Run(tctx, shot)
		cancel()
		if err == nil {
			return png
		}
		if try == 3 || ctx.Err() != nil {
			t.Fatalf("screenshot, %d tries: %v", try, err)
		}
		t.Logf("screenshot, try %d: %v; waking the compositor", try, err)
		if _, err := chromedp.Call(ctx, cdppage.StartScreencast, cdppage.StartScreencastParams{Format: cdppage.StartScreencastFormatJpeg}); err == nil {
			time.Sleep(250 * time.Millisecond)
			chromedp.Call(ctx, cdppage.StopScreencast, cdp.Empty{})
		}
	}
}

// do runs a chromedp action, failing the test on error.
func do[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("chromedp: %v", err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return do(t, ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// waitFor polls a JavaScript expression until it is truthy.
func waitFor(t *testing.T, ctx context.Context, expr string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#lanes")?.dataset.state ?? "no app") + " | " + (document.querySelector("#boot-error")?.textContent ?? "") + " | " + (document.querySelector(".notice")?.textContent ?? "") + " | " + (document.querySelector(".form-error")?.textContent ?? "")`))
		t.Fatalf("waiting for %s: %v (page: %s)", expr, err, state)
	}
}

// open loads the app at path (with its query) and waits until it is ready:
// a second or two, which a busy machine may make many more.
func open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+path))
	waitFor(t, ctx, `performance.getEntriesByName("lanes app ready").length > 0`, time.Minute)
}

// navigate loads any URL.
func navigate(u string) chromedp.Action[chromedp.Void] { return chromedp.Navigate(u) }

// waitPool polls the pool's state (window.lanesTest.poolStatus(), a promise of
// {size, ready, busy}) until cond, a JavaScript expression over s, holds.
func waitPool(t *testing.T, ctx context.Context, cond string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if eval[bool](t, ctx, `window.lanesTest.poolStatus().then(s => !!(`+cond+`))`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pool: waiting for %s: %s", cond, eval[string](t, ctx, `window.lanesTest.poolStatus().then(s => JSON.stringify(s))`))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
