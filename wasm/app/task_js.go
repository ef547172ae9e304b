package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/site"
	"lanes/wasm/fetch"
	"lanes/wasm/pool"
	"lanes/wasm/promise"
)

// tasks implements site.TaskBackend: the server's build service over
// fetch(), a coordinator of the built module's own Web Workers, the
// browser's compression streams for links, and the code editor.
//
// A built module plays both roles, as app.wasm does: its coordinator
// starts its CPU workers from the same module, with the wasm_exec.js of
// the toolchain that built it (not the app's). It lives until another
// build replaces it; RunOne runs the task demo on it.
type tasks struct {
	*editor
	b    *backend
	cpus int

	mu    sync.Mutex
	wasm  string // the module's URL
	coord *pool.Coordinator
}

var _ site.TaskBackend = (*tasks)(nil)

// setupTasks gives the root its task backend and reads the task's code
// from the page's fragment (site.Root.SetupTask), returning the autorun
// to act on now.
func setupTasks(root *site.Root, b *backend, hash string, autorun bool) bool {
	url := ""
	if v, err := safejs.Global().Get("lanesBoot"); err == nil {
		if e, err := v.Get("editor"); err == nil && e.Type() == safejs.TypeString {
			url, _ = e.String()
		}
	}
	b.tasks = &tasks{b: b, cpus: min(max(b.platform.CPUs, 1), 16), editor: newEditor(url,
		root.CodeEdited,
		func() { locked(root, root.Start) })}
	root.Tasks = b.tasks
	return root.SetupTask(hash, autorun)
}

// loadTasks is site.Root.LoadTask, bounded.
func loadTasks(root *site.Root) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	root.LoadTask(ctx)
}

// coordinatorFor is the coordinator that runs the demo: the built task's
// for the task demo, app.wasm's for the others.
func (b *backend) coordinatorFor(ctx context.Context, id string) (*pool.Coordinator, error) {
	if id != demo.TaskID {
		return b.waitCoordinator(ctx)
	}
	b.tasks.mu.Lock()
	defer b.tasks.mu.Unlock()
	if b.tasks.coord == nil {
		return nil, errors.New("the task is not built")
	}
	return b.tasks.coord, nil
}

// maxAnswer bounds the build service's JSON answers and a starter's code.
const maxAnswer = 1 << 20

// get fetches path on the page's origin, and its body within maxAnswer.
func (t *tasks) get(ctx context.Context, path string) ([]byte, error) {
	resp, err := fetch.Do(ctx, fetch.Request{URL: t.b.origin + path})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, errors.New(resp.Status)
	}
	return body, nil
}

// Info implements site.TaskBackend: GET /api/build.
func (t *tasks) Info(ctx context.Context) (site.BuildInfo, error) {
	var info site.BuildInfo
	body, err := t.get(ctx, "/api/build")
	if err == nil {
		err = json.Unmarshal(body, &info)
	}
	return info, err
}

// Starter implements site.TaskBackend.
func (t *tasks) Starter(ctx context.Context, url string) (string, error) {
	if !strings.HasPrefix(url, "/") || strings.HasPrefix(url, "//") {
		return "", fmt.Errorf("%q is not a path on this server", url)
	}
	body, err := t.get(ctx, url)
	return string(body), err
}

// Build implements site.TaskBackend: POST /api/build, then the module's
// coordinator and workers, started and listening.
func (t *tasks) Build(ctx context.Context, source string, step func(string)) error {
	req, err := json.Marshal(map[string]string{"source": source})
	if err != nil {
		return err
	}
	resp, err := fetch.Do(ctx, fetch.Request{
		Method: "POST",
		URL:    t.b.origin + "/api/build",
		Header: map[string]string{"Content-Type": "application/json"},
		Body:   req,
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err
	}
	var a struct {
		Wasm        string            `json:"wasm"`
		Exec        string            `json:"exec"`
		Error       string            `json:"error"`
		Diagnostics []site.Diagnostic `json:"diagnostics"`
	}
	jerr := json.Unmarshal(body, &a)
	if resp.StatusCode != 200 {
		be := &site.BuildError{Status: resp.StatusCode, Message: a.Error, Diagnostics: a.Diagnostics}
		if be.Message == "" {
			be.Message = resp.Status
		}
		if s, err := strconv.Atoi(fetch.Header(resp, "Retry-After")); err == nil && s > 0 {
			be.RetryAfter = time.Duration(min(s, 60)) * time.Second
		}
		return be
	}
	if jerr != nil || !strings.HasPrefix(a.Wasm, "/build/") || !strings.HasPrefix(a.Exec, "/build/") {
		return fmt.Errorf("the build service's answer is not understood: %.200s", body)
	}
	step("Starting the task's workers…")
	return t.start(ctx, a.Wasm, a.Exec)
}

// start readies a coordinator of the module at wasm, replacing the one of
// another module; the same module's is kept.
func (t *tasks) start(ctx context.Context, wasm, exec string) error {
	t.mu.Lock()
	if c := t.coord; c != nil && t.wasm == wasm {
		t.mu.Unlock()
		return c.Ready(ctx)
	}
	old := t.coord
	t.coord, t.wasm = nil, ""
	t.mu.Unlock()
	if old != nil {
		old.Close()
	}
	g := safejs.Global()
	fetched, err := g.Call("fetch", t.b.origin+wasm)
	if err != nil {
		return err
	}
	compiling, err := callOn(g, "WebAssembly", "compileStreaming", fetched)
	if err != nil {
		return err
	}
	module, err := promise.Await(ctx, compiling)
	if err != nil {
		return fmt.Errorf("the task's module: %w", err)
	}
	script, _ := g.Get("lanesBoot")
	workerJS, _ := script.Get("workerJS")
	scriptURL, _ := workerJS.String()
	c := pool.NewCoordinator(pool.Boot{Module: module, Script: scriptURL, Exec: t.b.origin + exec, Test: t.b.test}, t.cpus)
	ready, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := c.Ready(ready); err != nil {
		c.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("the task's web workers: %w", err)
	}
	if err := warmUp(ctx, c, t.cpus); err != nil {
		c.Close()
		return fmt.Errorf("the task's web workers, warming up: %w", err)
	}
	t.mu.Lock()
	t.coord, t.wasm = c, wasm
	t.mu.Unlock()
	return nil
}

// warmUp runs the page's warm-up (site.WarmUp: built-in work, never the
// user's code) on a new module's coordinator and workers, unseen, before
// its first measured run. Without it the browser compiled the module's
// code during that run, which then read as disturbed.
func warmUp(ctx context.Context, c *pool.Coordinator, k int) error {
	w, ok := site.WarmUp(8, k)
	if !ok {
		return nil
	}
	for _, s := range site.WarmUpStrategies {
		req := protocol.RunRequest{Values: w.Values(), Strategy: s}
		if _, err := c.Run(ctx, req, nil); err != nil {
			return err
		}
	}
	return nil
}

// callOn calls the method of the global object named obj.
func callOn(g safejs.Value, obj, method string, args ...any) (safejs.Value, error) {
	o, err := g.Get(obj)
	if err != nil {
		return o, err
	}
	return o.Call(method, args...)
}

// Pack implements site.TaskBackend with the browser's
// CompressionStream("deflate-raw"), so that app.wasm carries no
// compress/flate (40 KB of its brotli download, measured).
func (t *tasks) Pack(ctx context.Context, data []byte) ([]byte, error) {
	return transform(ctx, "CompressionStream", data, len(data)+len(data)/8+1024)
}

// Unpack implements site.TaskBackend with DecompressionStream.
func (t *tasks) Unpack(ctx context.Context, data []byte, limit int) ([]byte, error) {
	return transform(ctx, "DecompressionStream", data, limit)
}

// transform pipes data through a new class("deflate-raw") stream and
// reads at most limit bytes of what comes out.
func transform(ctx context.Context, class string, data []byte, limit int) ([]byte, error) {
	g := safejs.Global()
	ctor, err := g.Get(class)
	if err != nil || ctor.IsUndefined() {
		return nil, fmt.Errorf("this browser has no %s", class)
	}
	arrays, err := g.Get("Uint8Array")
	if err != nil {
		return nil, err
	}
	arr, err := arrays.New(len(data))
	if err != nil {
		return nil, err
	}
	if _, err := safejs.CopyBytesToJS(arr, data); err != nil {
		return nil, err
	}
	blobs, err := g.Get("Blob")
	if err != nil {
		return nil, err
	}
	blob, err := blobs.New([]any{arr})
	if err != nil {
		return nil, err
	}
	codec, err := ctor.New("deflate-raw")
	if err != nil {
		return nil, err
	}
	in, err := blob.Call("stream")
	if err != nil {
		return nil, err
	}
	out, err := in.Call("pipeThrough", codec)
	if err != nil {
		return nil, err
	}
	r, err := fetch.Stream(ctx, out)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, int64(limit)))
}

// installTaskHooks adds to the tests' hooks (installTestHooks)
//
//	taskPoolStatus()  a promise of the built task's pool: {size, ready, busy}
func installTaskHooks(b *backend, hooks js.Value) {
	hooks.Set("taskPoolStatus", promised(func(ctx context.Context) (any, error) {
		c, err := b.coordinatorFor(ctx, demo.TaskID)
		if err != nil {
			return nil, err
		}
		st, err := c.Status(ctx)
		return map[string]any{"size": st.Size, "ready": st.Ready, "busy": st.Busy}, err
	}))
}
