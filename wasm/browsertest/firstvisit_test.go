//go:build !js

package browsertest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lanes/core/demo"
	"lanes/core/report"
)

// BenchmarkFirstVisit measures what a tutorial reader meets: the embed of
// a CPU demo at its defaults with autorun=1, in a parent page on another
// origin, each load in a new Chromium with a fresh profile (cold caches,
// cold code). For each demo it prints, per load and as medians with their
// range:
//
//	goroutines/sequential   8 goroutines in one worker over sequential: ≈ 1
//	workers/sequential      2 Web Workers over sequential: ≈ 2 on 2 cores
//	worker-idle-ms          the longest a worker lane sat idle while tasks remained
//
// with the page's warnings, and how many loads showed an impossible
// speedup and how many of those the page warned of (every one should be:
// the machine's speed changes under a run, core/bench/steady); and then,
// on the full page, the main thread during a run: the slowest render and
// the longest timer gap. LANES_LOADS sets the loads (10).
func BenchmarkFirstVisit(b *testing.B) {
	loads := 10
	if n, err := strconv.Atoi(os.Getenv("LANES_LOADS")); err == nil && n > 0 {
		loads = n
	}
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		say("load average before: %s", strings.TrimSpace(string(load)))
	}
	for range b.N {
		impossible, flagged := 0, 0
		for _, d := range []string{"cpu-sumsq", "cpu-primes"} {
			var gor, wrk, idle []float64
			for i := range loads {
				rep := embedFirstVisit(b, "demo="+d)
				walls := map[string]float64{}
				for _, r := range rep.Runs {
					walls[r.Strategy] = r.WallMs
				}
				g, w := walls["sequential"]/walls["goroutines"], walls["sequential"]/walls["workers"]
				// An impossible figure — goroutines in one worker beating
				// sequential, or workers beating the cores — must come
				// with the page's warning that the run was disturbed.
				warned := warnings(rep)
				if g > 1 || w > float64(rep.Platform.CPUs) {
					impossible++
					if warned != "" {
						flagged++
					}
				}
				gap := 0.0
				for _, r := range rep.Runs {
					if r.Strategy == "workers" {
						gap = idleWhileQueued(r)
					}
				}
				gor, wrk, idle = append(gor, g), append(wrk, w), append(idle, gap)
				say("%s load %d: sequential %.0f ms, goroutines %.0f ms (%.2f×), workers %.0f ms (%.2f×), worker idle %.1f ms%s",
					d, i+1, walls["sequential"], walls["goroutines"], g, walls["workers"], w, gap, warned)
			}
			say("%s over %d fresh loads: goroutines/sequential %s, workers/sequential %s, worker idle %s ms",
				d, loads, spread(gor), spread(wrk), spread(idle))
			b.ReportMetric(median(gor), d+"-goroutines/sequential")
			b.ReportMetric(median(wrk), d+"-workers/sequential")
			b.ReportMetric(slices.Max(idle), d+"-worker-idle-max-ms")
		}
		say("loads with an impossible speedup (over the lanes that can run at once): %d, of which the page warned of: %d", impossible, flagged)
		b.ReportMetric(float64(impossible-flagged), "impossible-unwarned")
		render, gap := mainThreadDuringRun(b)
		b.ReportMetric(render, "slowest-render-during-run-ms")
		b.ReportMetric(gap, "longest-timer-gap-during-run-ms")
	}
}

// BenchmarkClaims runs every demo at its defaults as a first visit does
// (the embed, autorun=1, a fresh profile) and checks the lesson its
// explanation claims (demo.Check, with a margin of 15%, as the native claims benchmark), printing what
// contradicts it. claims-held counts the demos whose claim held.
func BenchmarkClaims(b *testing.B) {
	for range b.N {
		held := 0
		for _, d := range demo.All() {
			rep := embedFirstVisit(b, "demo="+d.ID)
			if bad := d.Check(d.Defaults(), rep, 0.15); len(bad) > 0 {
				say("%s: the claim did not hold: %s", d.ID, strings.Join(bad, "; "))
			} else {
				held++
			}
			for _, r := range rep.Runs {
				say("%s %s: %.1f ms — %s", d.ID, r.Strategy, r.WallMs, r.Verdict)
			}
		}
		b.ReportMetric(float64(held), "claims-held")
		b.ReportMetric(float64(len(demo.All())), "demos")
	}
}

// embedFirstVisit loads the embed with query and autorun=1 in a parent
// page on another origin, in a new Chromium with a fresh profile, and
// returns the report it posts.
func embedFirstVisit(b *testing.B, query string) report.Report {
	b.Helper()
	ctx, cancel := freshBrowser(b)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()
	parent := serveParent(b, base+"/embed?"+query+"&autorun=1")
	if _, err := chromedp.Run(ctx, chromedp.Navigate(parent)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.count("report") > 0 || window.count("error") > 0`,
		chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		b.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.last("report")?.report ?? window.last("error"))`))
	if err != nil {
		b.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(raw), &rep); err != nil || len(rep.Runs) == 0 {
		b.Fatalf("embed %s: no report: %s", query, raw)
	}
	return rep
}

// embedColdRuns loads the embed of cpu-sumsq sequential in a parent page
// on another origin, in a fresh profile, and returns when it said ready
// (ms since the parent's navigation) and how its first measured run and,
// as a control, its second compare with later runs of the same work: each
// over the median of runs 3 to 5, asked for by run messages. A single
// later run is no yardstick on a machine whose speed changes under it
// (core/bench/steady), and the second run is still a little warmer than
// the first: the control shows how much of the first run's ratio is the
// machine's noise.
func embedColdRuns(b *testing.B) (readyMs, firstOverLater, secondOverLater float64) {
	b.Helper()
	ctx, cancel := freshBrowser(b)
	defer cancel()
	parent := serveParent(b, base+"/embed?demo=cpu-sumsq&strategy=sequential&autorun=1")
	if _, err := chromedp.Run(ctx, chromedp.Navigate(parent)); err != nil {
		b.Fatal(err)
	}
	var walls []float64
	for n := 1; n <= 5; n++ {
		if n > 1 {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(send({source: "lanes", type: "run", params: {demo: "cpu-sumsq", strategy: "sequential"}}), true)`)); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`window.count("report") >= %d`, n), chromedp.WithPollingTimeout(90*time.Second))); err != nil {
			b.Fatal(err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.last("report").report.runs[0].wall_ms`))
		if err != nil {
			b.Fatal(err)
		}
		walls = append(walls, ms)
	}
	at, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.msgs.find(m => m.data.type === "ready").at`))
	if err != nil {
		b.Fatal(err)
	}
	later := median(walls[2:])
	return at, walls[0] / later, walls[1] / later
}

// warnings is the page's verdicts on rep's runs that warn, each after a
// "; ", or "".
func warnings(rep report.Report) string {
	var out string
	for _, r := range rep.Runs {
		if strings.Contains(r.Verdict, "warning") {
			out += "; " + r.Verdict
		}
	}
	return out
}

// idleWhileQueued is the longest time a lane of the run sat idle between
// two of its tasks, or before its first, while tasks were still waiting to
// start.
func idleWhileQueued(r report.Run) float64 {
	lastStart := 0.0
	byLane := map[int][]report.Task{}
	for _, t := range r.Tasks {
		if t.Lane < 0 {
			continue
		}
		lastStart = max(lastStart, t.StartMs)
		byLane[t.Lane] = append(byLane[t.Lane], t)
	}
	firstStart := lastStart
	for _, t := range r.Tasks {
		if t.Lane >= 0 {
			firstStart = min(firstStart, t.StartMs)
		}
	}
	longest := 0.0
	for _, ts := range byLane {
		slices.SortFunc(ts, func(a, b report.Task) int { return int(a.StartMs*1000 - b.StartMs*1000) })
		free := firstStart
		for _, t := range ts {
			if free < lastStart {
				longest = max(longest, min(t.StartMs, lastStart)-free)
			}
			free = t.EndMs
		}
	}
	return longest
}

// mainThreadDuringRun runs cpu-sumsq's default strategies on the full
// page, in a fresh profile, with a 10 ms timer beating on the main thread.
// It returns the slowest render and the longest timer gap while a strategy
// ran (the page's "lanes run" measures), and logs the slowest render of
// the whole run, between strategies and in the warm-up included.
func mainThreadDuringRun(b *testing.B) (render, gap float64) {
	b.Helper()
	ctx, cancel := freshBrowser(b)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?demo=cpu-sumsq")); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`performance.getEntriesByName("lanes pool ready").length > 0`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		window.beat = {last: performance.now(), gaps: [], start: performance.now()};
		setInterval(() => { const now = performance.now(); beat.gaps.push([beat.last, now]); beat.last = now; }, 10);
		document.querySelector("#run").click();
		return true;
	})()`)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#lanes").dataset.state === "done"`, chromedp.WithPollingTimeout(90*time.Second))); err != nil {
		b.Fatal(err)
	}
	type figures struct {
		Render, Gap, AnyRender, AnyGap float64
		Runs                           int
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[figures](`(() => {
		const runs = performance.getEntriesByName("lanes run").filter(e => e.startTime >= beat.start);
		const during = (s, e) => runs.some(r => s < r.startTime + r.duration && e > r.startTime);
		const renders = performance.getEntriesByName("lanes render").filter(e => e.startTime >= beat.start);
		const most = (xs) => Math.max(0, ...xs);
		return {
			render: most(renders.filter(e => during(e.startTime, e.startTime + e.duration)).map(e => e.duration)),
			gap: most(beat.gaps.filter(([s, e]) => during(s, e)).map(([s, e]) => e - s)),
			anyRender: most(renders.map(e => e.duration)),
			anyGap: most(beat.gaps.map(([s, e]) => e - s)),
			runs: runs.length,
		};
	})()`))
	if err != nil {
		b.Fatalf("main thread figures: %v", err)
	}
	say("main thread while %d strategies ran: slowest render %.1f ms, longest timer gap %.1f ms; over the whole run, warm-up and renders between strategies included: %.1f ms and %.1f ms",
		f.Runs, f.Render, f.Gap, f.AnyRender, f.AnyGap)
	return f.Render, f.Gap
}

// say prints a line of the benchmark's findings in full (a benchmark's
// log is cut short).
func say(format string, args ...any) {
	fmt.Printf("    "+format+"\n", args...)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is "median (min–max)".
func spread(xs []float64) string {
	return fmt.Sprintf("%.2f (%.2f–%.2f)", median(xs), slices.Min(xs), slices.Max(xs))
}

// spreadBytes is "median (min–max)" of byte counts.
func spreadBytes(xs []float64) string {
	return fmt.Sprintf("%.0f (%.0f–%.0f)", median(xs), slices.Min(xs), slices.Max(xs))
}

// BenchmarkColdVisit breaks a first visit of the app down, in fresh
// profiles (LANES_LOADS of them, 10 by default), into its steps since
// navigation — the HTML, app.wasm downloaded, compiled (streaming, so
// the two overlap), instantiated, the page's Go started, its first render,
// the pool ready — with the bytes the first load moved, in all and per
// asset; then a second visit in the same profile (warm caches). Then the
// embed, in twice as many fresh profiles (embedColdRuns): when it is
// ready, and its first measured run against later ones. Medians with
// their range.
//
// The bytes are the page's Resource Timing: the HTML and every resource,
// worker.js of the coordinator included. That is everything: a net log
// of a cold visit shows no other request, the workers' wasm_exec.js and
// the CPU workers' worker.js coming from the HTTP cache (their URLs are
// immutable), and the workers compile no wasm of their own.
func BenchmarkColdVisit(b *testing.B) {
	loads := 10
	if n, err := strconv.Atoi(os.Getenv("LANES_LOADS")); err == nil && n > 0 {
		loads = n
	}
	steps := []string{"html", "app.wasm downloaded", "lanes compiled", "lanes instantiated", "lanes go start", "lanes app ready", "lanes pool ready"}
	for range b.N {
		at := map[string][]float64{}
		var bytes, again []float64
		perAsset := map[string][]float64{} // "html", "app.wasm", ...
		for range loads {
			ctx, cancel := freshBrowser(b)
			visit := func() map[string]float64 {
				if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/")); err != nil {
					b.Fatal(err)
				}
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`performance.getEntriesByName("lanes pool ready").length > 0`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
					b.Fatal(err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => {
					const out = {};
					const nav = performance.getEntriesByType("navigation")[0];
					const res = performance.getEntriesByType("resource");
					out["html"] = nav.responseEnd;
					out["app.wasm downloaded"] = Math.max(...res.filter(r => r.name.endsWith("/app.wasm")).map(r => r.responseEnd));
					for (const m of performance.getEntriesByType("mark")) if (m.name.startsWith("lanes ")) out[m.name] = m.startTime;
					out.bytes = nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0);
					out["bytes: html"] = nav.transferSize;
					for (const r of res) {
						const k = "bytes: " + new URL(r.name).pathname.split("/").pop();
						out[k] = (out[k] || 0) + r.transferSize;
					}
					return out;
				})()`))
				if err != nil {
					b.Fatal(err)
				}
				return got
			}
			first := visit()
			for _, s := range steps {
				at[s] = append(at[s], first[s])
			}
			bytes = append(bytes, first["bytes"])
			for k, n := range first {
				if name, ok := strings.CutPrefix(k, "bytes: "); ok {
					perAsset[name] = append(perAsset[name], n)
				}
			}
			again = append(again, visit()["lanes app ready"])
			cancel()
		}
		say("a cold visit of the app over %d fresh profiles, ms since navigation (median, range):", loads)
		for _, s := range steps {
			say("  %-22s %s", s, spread(at[s]))
		}
		say("  first load: %s bytes; a second visit's first render: %s ms", spreadBytes(bytes), spread(again))
		assets := slices.Collect(maps.Keys(perAsset))
		slices.SortFunc(assets, func(a, b string) int { return cmp.Compare(median(perAsset[b]), median(perAsset[a])) })
		for _, a := range assets {
			say("    %-14s %s bytes", a, spreadBytes(perAsset[a]))
		}
		var ready, firstRun, secondRun []float64
		for range 2 * loads {
			r, first, second := embedColdRuns(b)
			ready, firstRun, secondRun = append(ready, r), append(firstRun, first), append(secondRun, second)
		}
		say("  the embed, in a parent page on another origin, %d fresh profiles: ready %s ms after the parent's navigation", 2*loads, spread(ready))
		say("  its first measured run ÷ the median of runs 3–5 of the same work: %s; the second run's, as a control: %s",
			spread(firstRun), spread(secondRun))
		b.ReportMetric(median(ready), "embed-ready-ms")
		b.ReportMetric(median(firstRun), "first-run/later-run")
		b.ReportMetric(median(secondRun), "second-run/later-run")
		b.ReportMetric(median(at["lanes app ready"]), "app-ready-ms")
		b.ReportMetric(median(at["lanes pool ready"]), "pool-ready-ms")
		b.ReportMetric(median(bytes), "first-load-bytes")
		b.ReportMetric(median(again), "second-visit-app-ready-ms")
	}
}
