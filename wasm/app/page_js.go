package main

import (
	"runtime/debug"
	"syscall/js"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"

	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/site"
)

// runPage sets the page up from its URL, starts the worker pool and runs
// Vugu's render loop, for as long as the page lives.
//
// It leaves User Timing marks in the browser's performance timeline,
// which DevTools shows and the benchmark reads: after boot.js's "lanes
// compiled" and "lanes instantiated", "lanes go start", "lanes pool
// start", "lanes app ready" (the first render), "lanes pool ready", and a
// "lanes render" measure for every render. A page the tests' server marks
// (data-lanes-test) also installs the tests' hooks (installTestHooks).
func runPage() {
	mark("lanes go start")
	g := js.Global()
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
		test:     g.Get("document").Get("documentElement").Get("dataset").Get("lanesTest").Truthy(),
		coord:    make(chan started, 1),
		tl:       newTimelines(),
	}
	// The page collects its garbage when it holds runRoom more than now,
	// and before a run that would reach that (collectBeforeRun): each
	// collection holds the main thread for all its marking.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(heldMemory() + runRoom)
	root := &site.Root{Backend: b, Settings: site.Settings{Embed: b.path == "/embed"}}
	autorun := root.Setup(loc.Get("search").String())
	autorun = setupTasks(root, b, loc.Get("hash").String(), autorun)
	if root.Theme != "" {
		g.Get("document").Get("documentElement").Call("setAttribute", "data-theme", root.Theme)
	}

	mark("lanes pool start")
	go startCoordinator(b, platform.CPUs)

	renderer, err := domrender.New("#vugu_mount_point")
	if err != nil {
		fail(err)
		return
	}
	defer renderer.Release()
	root.Events = renderer.EventEnv()
	buildEnv, err := vugu.NewBuildEnv(renderer.EventEnv())
	if err != nil {
		fail(err)
		return
	}
	listen(root, b)
	b.tl.rehearse(func() bool {
		root.Events.Lock()
		defer root.Events.UnlockOnly()
		return !root.Running()
	})
	go loadTasks(root)

	first := true
	height := 0
	perf := g.Get("performance")
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := perf.Call("now").Float()
		gen := root.Gen()
		if err := renderer.Render(buildEnv.RunBuild(root)); err != nil {
			fail(err)
		}
		ms := perf.Call("now").Float() - t0
		afterPaint(b.tl, func() { root.Rendered(gen) })
		// Each render is a User Timing measure, in the browser's
		// performance timeline (DevTools shows it; the benchmark reads it).
		perf.Call("measure", "lanes render", map[string]any{"start": t0, "duration": ms})
		if first {
			first = false
			mark("lanes app ready")
			b.Post(protocol.Ready())
			if autorun {
				go locked(root, root.Start)
			}
		}
		if b.embedded { // reading the height forces a layout: only for a parent
			if h := g.Get("document").Get("documentElement").Get("scrollHeight").Int(); h != height {
				height = h
				b.Post(protocol.Resize(h))
			}
		}
	}
}

// afterPaint calls f once the browser has painted what the page's last
// render changed, its timelines included: at the second animation frame
// after it, or later while timelines are still to be drawn (tl.pending).
// The browser lays out and paints after the render's task ends, and a run
// that starts earlier shares the CPU with that work.
func afterPaint(tl *timelines, f func()) {
	raf := js.Global().Get("requestAnimationFrame")
	var first, second js.Func
	first = js.FuncOf(func(js.Value, []js.Value) any {
		first.Release()
		raf.Invoke(second)
		return nil
	})
	second = js.FuncOf(func(js.Value, []js.Value) any {
		if tl.pending() {
			raf.Invoke(second)
			return nil
		}
		second.Release()
		go f()
		return nil
	})
	raf.Invoke(first)
}

// mark leaves a User Timing mark named name.
func mark(name string) {
	js.Global().Get("performance").Call("mark", name)
}
