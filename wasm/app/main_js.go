package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"

	"lanes/core/report"
	"lanes/site"
	"lanes/wasm/pool"
	"lanes/wasm/worker"
)

func main() {
	g := js.Global()
	if g.Get("document").IsUndefined() {
		worker.Main() // this instance is one of the page's Web Workers
		return
	}
	loc := g.Get("location")
	nav := g.Get("navigator")
	platform := report.Here("browser")
	platform.UserAgent = nav.Get("userAgent").String()
	platform.CPUs = max(nav.Get("hardwareConcurrency").Int(), 1)
	b := &backend{
		platform: platform,
		origin:   loc.Get("origin").String(),
		path:     loc.Get("pathname").String(),
		embedded: !g.Get("parent").Equal(g),
		pool:     make(chan *pool.Pool, 1),
	}
	// The page's heap is small and mostly garbage from rebuilding the tree:
	// collecting less often keeps the main thread free for the run's
	// messages and redraws.
	debug.SetGCPercent(400)
	root := &site.Root{B: b, Embed: b.path == "/embed"}
	autorun := root.Setup(loc.Get("search").String())
	root.Narrow = g.Get("innerWidth").Int() < 600
	if root.Theme != "" {
		g.Get("document").Get("documentElement").Call("setAttribute", "data-theme", root.Theme)
	}

	g.Set("lanesPoolStart", g.Get("performance").Call("now"))
	go startPool(b, platform.CPUs)

	renderer, err := domrender.New("#vugu_mount_point")
	if err != nil {
		fail(err)
		return
	}
	defer renderer.Release()
	root.EE = renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(renderer.EventEnv())
	if err != nil {
		fail(err)
		return
	}
	listen(root, b)

	first := true
	height := 0
	perf := g.Get("performance")
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := perf.Call("now").Float()
		if err := renderer.Render(buildEnv.RunBuild(root)); err != nil {
			fail(err)
		}
		// lanesRenderMs keeps the slowest render, for the tests and benchmark.
		if ms := perf.Call("now").Float() - t0; g.Get("lanesRenderMs").IsUndefined() || ms > g.Get("lanesRenderMs").Float() {
			g.Set("lanesRenderMs", ms)
		}
		if ms := perf.Call("now").Float() - t0; g.Get("lanesRenders").Truthy() {
			g.Get("lanesRenders").Call("push", ms)
		}
		if first {
			first = false
			g.Set("lanesAppReady", g.Get("performance").Call("now"))
			b.Post(map[string]any{"type": "ready"})
			if autorun {
				go func() {
					root.EE.Lock()
					root.Start()
					root.EE.UnlockRender()
				}()
			}
		}
		if b.embedded { // reading the height forces a layout: only for a parent
			if h := g.Get("document").Get("documentElement").Get("scrollHeight").Int(); h != height {
				height = h
				b.Post(map[string]any{"type": "resize", "height": h})
			}
		}
	}
}

// startPool starts the pool once worker.wasm is compiled: the default size
// is the number of logical CPUs, from 1 to 16.
func startPool(b *backend, cpus int) {
	boot := safejs.Safe(js.Global().Get("lanesBoot"))
	module, err := boot.Get("module")
	if err == nil {
		module, err = pool.Await(module)
	}
	if err != nil {
		fail(fmt.Errorf("worker.wasm: %w", err))
		return
	}
	script, _ := boot.Get("workerJS")
	exec, _ := boot.Get("exec")
	scriptURL, _ := script.String()
	execURL, _ := exec.String()
	p := pool.New(pool.Boot{Module: module, Script: scriptURL, Exec: execURL}, min(max(cpus, 1), 16))
	b.pool <- p
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Ready(ctx); err != nil {
		fail(fmt.Errorf("web workers: %w", err))
		return
	}
	js.Global().Set("lanesPoolReady", js.Global().Get("performance").Call("now"))
	// lanesPoolStatus lets tests and the benchmark see that the pool is whole.
	status := js.FuncOf(func(js.Value, []js.Value) any {
		size, ready, busy := p.Status()
		return map[string]any{"size": size, "ready": ready, "busy": busy}
	})
	js.Global().Set("lanesPoolStatus", status) // lives as long as the page
	// lanesFailWorker(n) makes worker n fail as a crash does, for the tests.
	failWorker := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			p.Fail(args[0].Int())
		}
		return nil
	})
	js.Global().Set("lanesFailWorker", failWorker)
}

// fail shows an error that stops the page from working, in the box that
// boot.js also uses.
func fail(err error) {
	doc := js.Global().Get("document")
	box := doc.Call("getElementById", "boot-error")
	if box.Truthy() {
		box.Set("textContent", "Lanes failed: "+err.Error())
		box.Set("hidden", false)
	}
	js.Global().Get("console").Call("error", "lanes:", err.Error())
}
