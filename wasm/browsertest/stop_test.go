//go:build !js

package browsertest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// poolStatus is window.lanesTest.poolStatus().
type poolStatus struct {
	Size  int `json:"size"`
	Ready int `json:"ready"`
	Busy  int `json:"busy"`
}

// TestStopDuringCPURun stops a long CPU run with Esc: the page shows it
// stopped (within 2 s, a margin no busy machine reaches: a Stop that does
// not work leaves the run going for minutes; how fast it is belongs to the
// benchmark), the pool is whole and idle again, and the next run works.
func TestStopDuringCPURun(t *testing.T) {
	for _, strategy := range []string{"sequential", "workers"} {
		t.Run(strategy, func(t *testing.T) {
			ctx := page(t)
			open(t, ctx, "/?demo=cpu-sumsq&strategy="+strategy+"&size=4294967296&tasks=64&workers=2")
			// Polls for what starting Web Workers and a run bring about: they
			// end as soon as it is there, and wait a minute for a busy machine.
			waitFor(t, ctx, `performance.getEntriesByName("lanes pool ready").length > 0`, time.Minute)
			do(t, ctx, chromedp.Click("#run"))
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "running" && !document.querySelector("#lanes.warming") && !!document.querySelector('.run:not([data-final])[data-strategy="`+strategy+`"]')`, time.Minute)
			waitPool(t, ctx, `s.busy > 0`, time.Minute)
			// The run is drawn live, with no render of the page.
			waitFor(t, ctx, `+(document.querySelector('.run:not([data-final]) .tl-stage')?.dataset.bars ?? 0) > 0 && /Running… [1-9]/.test(document.querySelector("#progress").textContent)`, time.Minute)
			time.Sleep(300 * time.Millisecond)
			// Press Esc and time, in the page, until the page shows the stop.
			stopMs := eval[float64](t, ctx, `new Promise(resolve => {
				const t0 = performance.now();
				const root = document.querySelector("#lanes");
				const check = () => root.dataset.state === "stopped" ? resolve(performance.now() - t0) : requestAnimationFrame(check);
				document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
				check();
			})`)
			t.Logf("stopped in %.1f ms", stopMs)
			assert.Less(t, stopMs, 2000.0, "Stop took %.1f ms", stopMs)
			// The stopped workers' replacements start (they load the app's
			// wasm): what a busy machine stretches, not what Stop waits for.
			waitPool(t, ctx, `s.ready === s.size && s.busy === 0`, time.Minute)
			st := eval[poolStatus](t, ctx, `window.lanesTest.poolStatus()`)
			assert.GreaterOrEqual(t, st.Size, 2)
			got := finished(t, ctx)
			assert.True(t, got[strategy].Partial, "the stopped run is partial: %+v", got)

			// The next run works, with the exact answer.
			do(t, ctx, chromedp.SetValue("#knob-size", "100000000"))
			do(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#knob-size").dispatchEvent(new Event("change", {bubbles: true}))`))
			do(t, ctx, chromedp.Click("#run"))
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 30*time.Second)
			got = finished(t, ctx)
			require.Contains(t, got, strategy)
			assert.Equal(t, "333333328333333350000000", got[strategy].Result)
		})
	}
}

// TestMainThreadResponsive runs CPU work while a timer and
// requestAnimationFrame beat on the page: no beat may be late by over
// 500 ms, or half the shortest run where that is longer, because the work
// runs in Web Workers (a CPU loop on the main thread would freeze it for
// the whole of a run). A busy machine that stretches the page's own work
// stretches the runs too. The benchmark reports the real gaps, which are
// far smaller (under 100 ms on two cores at a load average of 8).
func TestMainThreadResponsive(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,goroutines,workers&size=1e9&workers=2")
	waitFor(t, ctx, `performance.getEntriesByName("lanes pool ready").length > 0`, time.Minute)
	time.Sleep(time.Second) // the workers warm up first, as a person reads the page
	eval[bool](t, ctx, `(() => {
		window.beat = {last: performance.now(), gap: 0, frames: 0, lastFrame: performance.now(), frameGap: 0};
		setInterval(() => { const now = performance.now(); beat.gap = Math.max(beat.gap, now - beat.last); beat.last = now; }, 10);
		const frame = () => { const now = performance.now(); beat.frameGap = Math.max(beat.frameGap, now - beat.lastFrame); beat.lastFrame = now; beat.frames++; requestAnimationFrame(frame); };
		requestAnimationFrame(frame);
		return true;
	})()`)
	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 60*time.Second)
	type beats struct {
		Gap      float64 `json:"gap"`
		FrameGap float64 `json:"frameGap"`
		Frames   int     `json:"frames"`
	}
	b := eval[beats](t, ctx, `window.beat`)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `window.lanesTest.lastReport()`)), &rep))
	require.Len(t, rep.Runs, 3)
	shortest := rep.Runs[0].WallMs
	for _, r := range rep.Runs {
		shortest = min(shortest, r.WallMs)
	}
	most := max(500, shortest/2)
	t.Logf("longest timer gap %.1f ms, longest frame gap %.1f ms over %d frames, slowest render %.1f ms; shortest run %.0f ms",
		b.Gap, b.FrameGap, b.Frames, eval[float64](t, ctx, `Math.max(0, ...performance.getEntriesByName("lanes render").map(e => e.duration))`), shortest)
	assert.Less(t, b.Gap, most, "timer heartbeat gap")
	assert.Less(t, b.FrameGap, most, "requestAnimationFrame gap")
	assert.Equal(t, "333333332833333333500000000", finished(t, ctx)["workers"].Result)
}
