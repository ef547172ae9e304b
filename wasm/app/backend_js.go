package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/hack-pad/safejs"
	vjs "github.com/vugu/vugu/js"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/site"
	"lanes/wasm/fetch"
	"lanes/wasm/pool"
	"lanes/wasm/promise"
)

// backend implements site.Backend over the Web Worker pool, fetch and the
// DOM.
type backend struct {
	platform report.Platform
	origin   string
	path     string
	embedded bool         // the page has a parent to talk to
	test     bool         // the tests' server marked the page: install their hooks
	coord    chan started // holds the coordinator once it is started, or why it could not be
	tl       *timelines   // the run cards' timelines
	tasks    *tasks       // the user's task: its build, its workers, its editor

	mu         sync.Mutex
	lastReport *report.Report // the last report posted, for the tests' hooks
}

// started is the coordinator, or why it could not be started at all.
type started struct {
	c   *pool.Coordinator
	err error
}

var _ site.Backend = (*backend)(nil)

// Platform implements site.Backend.
func (b *backend) Platform() report.Platform { return b.platform }

// Origin implements site.Backend.
func (b *backend) Origin() string { return b.origin }

// waitCoordinator waits for the coordinator, which starts once app.wasm
// is compiled.
func (b *backend) waitCoordinator(ctx context.Context) (*pool.Coordinator, error) {
	select {
	case s := <-b.coord:
		b.coord <- s
		return s.c, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// RunOne implements site.Backend: the coordinator worker runs it, so
// nothing on the page's main thread is on the run's path.
func (b *backend) RunOne(ctx context.Context, cfg demo.Config, id string, onTask func(report.Task)) (report.Run, error) {
	c, err := b.coordinatorFor(ctx, cfg.Demo)
	if err != nil {
		return report.Run{}, err
	}
	cfg.Targets = proxied(b.origin, cfg.Targets)
	req := protocol.RunRequest{Values: cfg.Values(), Strategy: id, TargetBase: b.origin}
	tasks, _ := req.Tasks()
	collectBeforeRun(tasks)
	// Each run is a User Timing measure, "lanes run" (DevTools shows it;
	// the benchmark checks what the main thread did meanwhile).
	perf := js.Global().Get("performance")
	t0 := perf.Call("now").Float()
	defer func() {
		perf.Call("measure", "lanes run", map[string]any{"start": t0, "duration": perf.Call("now").Float() - t0, "detail": id})
	}()
	return c.Run(ctx, req, onTask)
}

// Native implements site.Backend: POST /api/run with the config's values,
// numbers as JSON numbers.
func (b *backend) Native(ctx context.Context, cfg demo.Config) (report.Report, error) {
	body := map[string]any{}
	for k, v := range cfg.Values() {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			body[k] = n
		} else {
			body[k] = v
		}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return report.Report{}, err
	}
	resp, err := fetch.Do(ctx, fetch.Request{
		Method: "POST",
		URL:    b.origin + "/api/run",
		Header: map[string]string{"Content-Type": "application/json"},
		Body:   data,
	})
	if err != nil {
		return report.Report{}, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return report.Report{}, err
	}
	if resp.StatusCode != 200 {
		return report.Report{}, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(out))
	}
	var rep report.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		return rep, fmt.Errorf("the server's answer: %w", err)
	}
	return rep, nil
}

// SetQuery implements site.Backend.
func (b *backend) SetQuery(query string) {
	history, err := safejs.Global().Get("history")
	if err == nil {
		_, _ = history.Call("replaceState", safejs.Null(), "", b.path+"?"+query)
	}
}

// Download implements site.Backend: a Blob behind a clicked link.
func (b *backend) Download(name, mime string, data []byte) {
	g := js.Global()
	arr := g.Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := g.Get("Blob").New([]any{arr}, map[string]any{"type": mime})
	u := g.Get("URL").Call("createObjectURL", blob)
	a := g.Get("document").Call("createElement", "a")
	a.Set("href", u)
	a.Set("download", name)
	g.Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	g.Get("URL").Call("revokeObjectURL", u)
}

// maxReportFile bounds a report file the page reads: a report of 10,000
// tasks in each of eight runs is a few MB.
const maxReportFile = 64 << 20

// ReadFile implements site.Backend; input is the file input element.
func (b *backend) ReadFile(ctx context.Context, input any) ([]byte, error) {
	v, ok := input.(vjs.Value)
	if !ok {
		return nil, errors.New("no file input")
	}
	el := safejs.Safe(js.Value(v))
	files, err := el.Get("files")
	if err != nil {
		return nil, err
	}
	if n, err := files.Length(); err != nil || n == 0 {
		return nil, errors.New("no file chosen")
	}
	file, err := files.Index(0)
	if err != nil {
		return nil, err
	}
	if size, err := file.Get("size"); err == nil {
		if n, err := size.Float(); err == nil && n > maxReportFile {
			return nil, fmt.Errorf("the file has %.0f MB; a report has at most %d", n/(1<<20), maxReportFile>>20)
		}
	}
	reading, err := file.Call("text")
	if err != nil {
		return nil, err
	}
	text, err := promise.Await(ctx, reading)
	if err != nil {
		return nil, err
	}
	s, err := text.String()
	return []byte(s), err
}

// DrawTimeline implements site.Backend.
func (b *backend) DrawTimeline(box any, run report.Run, spanMs float64) {
	b.tl.DrawTimeline(box, run, spanMs)
}

// DrawLive implements site.Backend: the live run's timeline drawn at once
// (a model of the run, an image of it on its canvas, its words), and the
// progress; no render. Its cost is a "lanes live" measure.
func (b *backend) DrawLive(run report.Run, tasks int, spanMs float64, progress string, done, total int) {
	perf := js.Global().Get("performance")
	t0 := perf.Call("now").Float()
	defer func() {
		perf.Call("measure", "lanes live", map[string]any{"start": t0, "duration": perf.Call("now").Float() - t0})
	}()
	doc := js.Global().Get("document")
	if box := b.tl.liveBox(); box.Truthy() {
		b.tl.drawLive(box, run, tasks, spanMs)
		box.Set("lanesDrawing", "live") // the next render draws the finished run afresh
	}
	if p := doc.Call("getElementById", "progress"); p.Truthy() {
		p.Set("textContent", progress)
	}
	if bar := doc.Call("querySelector", ".actions progress"); bar.Truthy() {
		bar.Set("max", total)
		bar.Set("value", done)
	}
}

// Post implements site.Backend: a message to the parent page, as a plain
// object; none without a parent. A report is also kept for the tests'
// hooks, which encode it when they ask: encoding a report of 20,000 tasks
// took 300 ms of the main thread each time, and the page without a parent
// and without the hooks need not encode it at all.
func (b *backend) Post(msg protocol.Outbound) {
	if msg.Report != nil && b.test {
		b.mu.Lock()
		b.lastReport = msg.Report
		b.mu.Unlock()
	}
	if !b.embedded {
		return
	}
	data, err := json.Marshal(msg) // a report goes as JSON, then a plain object
	if err != nil {
		return
	}
	g := js.Global()
	obj := g.Get("JSON").Call("parse", string(data))
	g.Get("parent").Call("postMessage", obj, "*")
}

// collectBeforeRun collects the page's garbage before a run of tasks
// starts, when the collector would otherwise run in it, and then leaves
// room for twice its garbage, and at least runRoom.
//
// A collection in wasm marks the whole heap in one task of the main
// thread, as the page's Go runs out of other work: 18 ms of CPU in a task
// of 42 ms at the end of a connections run, and 25–30 ms before a run
// when the heap held another run of 10,000 tasks. A run makes garbage as
// it streams (its events' text, the tasks, the live drawing): 23–29 MB
// for 10,000 tasks. With runRoom, a page's first runs of 10,000 tasks,
// the connections demo's two, are not collected at all.
//
// The page collects only when its memory reaches a limit (runPage turns
// its GC percent off). The limit is what it holds after a collection,
// plus the room: a GC percent would let the next goal grow with the heap.
func collectBeforeRun(tasks int) {
	need := int64(max(tasks, 0)) * garbagePerTask
	if debug.SetMemoryLimit(-1)-heldMemory() >= need {
		return
	}
	debug.FreeOSMemory() // collected, and what is free let go: the limit counts what is held
	debug.SetMemoryLimit(heldMemory() + max(2*need, runRoom))
}

// heldMemory is the memory the page's Go holds, as its memory limit
// counts it.
func heldMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}

// runRoom is the least garbage the page makes between collections, and
// garbagePerTask what a run makes for each of its tasks, at the most.
const (
	runRoom        = 96 << 20
	garbagePerTask = 3 << 10
)
