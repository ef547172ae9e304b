//go:build !js

package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			waitFor(t, ctx, `performance.getEntriesByName("lanes pool ready").length > 0`, 10*time.Second)
			do(t, ctx, chromedp.Click("#run"))
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "running" && !document.querySelector("#lanes.warming") && !!document.querySelector('.run:not([data-final])[data-strategy="`+strategy+`"]')`, 10*time.Second)
			waitPool(t, ctx, `s.busy > 0`, 10*time.Second)
			// The run is drawn live, with no render of the page.
			waitFor(t, ctx, `+(document.querySelector('.run:not([data-final]) .tl-stage')?.dataset.bars ?? 0) > 0 && /Running… [1-9]/.test(document.querySelector("#progress").textContent)`, 10*time.Second)
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
			waitPool(t, ctx, `s.ready === s.size && s.busy === 0`, 2*time.Second)
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
// 500 ms, because the work runs in Web Workers (a CPU loop on the main
// thread would freeze it for the whole run, seconds). The benchmark
// reports the real gaps, which are far smaller.
func TestMainThreadResponsive(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,goroutines,workers&size=1e9&workers=2")
	waitFor(t, ctx, `performance.getEntriesByName("lanes pool ready").length > 0`, 10*time.Second)
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
	t.Logf("longest timer gap %.1f ms, longest frame gap %.1f ms over %d frames, slowest render %.1f ms",
		b.Gap, b.FrameGap, b.Frames, eval[float64](t, ctx, `Math.max(0, ...performance.getEntriesByName("lanes render").map(e => e.duration))`))
	assert.Less(t, b.Gap, 500.0, "timer heartbeat gap")
	assert.Less(t, b.FrameGap, 500.0, "requestAnimationFrame gap")
	assert.Equal(t, "333333332833333333500000000", finished(t, ctx)["workers"].Result)
}
