//go:build !js

package browsertest

import (
	"context"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadParamsShowNoticeAndDefaults: a bad link is explained in the page,
// which falls back to the defaults and still runs.
func TestBadParamsShowNoticeAndDefaults(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-primes&size=-3&workers=zz&theme=blue&autorun=1")
	notice := eval[string](t, ctx, `document.querySelector(".notice")?.textContent ?? ""`)
	assert.Contains(t, notice, "theme=")
	assert.Regexp(t, `size=|workers=`, notice)
	assert.Equal(t, "1000000000", eval[string](t, ctx, `document.querySelector("#knob-size").value`), "the default size")
	assert.Equal(t, "", eval[string](t, ctx, `document.querySelector("#lanes").dataset.state ?? ""`), "autorun is off for a bad link")

	open(t, ctx, "/?demo=nothing-like-it")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector(".notice").textContent`), `demo "nothing-like-it"`)
	assert.Equal(t, "Sum of squares: CPU-bound work", eval[string](t, ctx, `document.querySelector(".demo-title").textContent`))
}

// TestKnobsEnterAndShareLink edits a knob, runs with Enter, and checks that
// the URL and the share link carry the settings.
func TestKnobsEnterAndShareLink(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,workers")
	waitFor(t, ctx, `performance.getEntriesByName("lanes pool ready").length > 0`, time.Minute)
	do(t, ctx, chromedp.SetValue("#knob-size", "1000"))
	do(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#knob-size").dispatchEvent(new Event("change", {bubbles: true}))`))
	do(t, ctx, chromedp.Focus("#knob-tasks"))
	do(t, ctx, chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 30*time.Second)
	got := finished(t, ctx)
	assert.Equal(t, "332833500", got["workers"].Result)
	assert.Contains(t, eval[string](t, ctx, `location.search`), "size=1000")
	share := eval[string](t, ctx, `document.querySelector("#share-link").value`)
	assert.Contains(t, share, "/?demo=cpu-sumsq&")
	assert.Contains(t, share, "size=1000")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#embed-snippet").value`), `<iframe src="`+base+`/embed?demo=cpu-sumsq&`)

	// Every control has a name a screen reader can read.
	unnamed := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("input, button, textarea, select")).filter(e =>
		!(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !e.textContent.trim() && !e.title).map(e => e.outerHTML)`)
	assert.Empty(t, unnamed)
}

// TestEmbedControlsHidden: controls=0 leaves the timeline and summary.
func TestEmbedControlsHidden(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/embed?demo=cpu-sumsq&strategy=sequential,workers&size=1000000&controls=0&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 30*time.Second)
	assert.False(t, eval[bool](t, ctx, `!!document.querySelector(".controls")`), "knobs hidden")
	assert.False(t, eval[bool](t, ctx, `!!document.querySelector(".demos")`), "no demo list in the embed")
	assert.Equal(t, 2, eval[int](t, ctx, `document.querySelectorAll(".run[data-final] svg.timeline").length`))
	assert.Equal(t, "333332833333500000", finished(t, ctx)["workers"].Result)
	open(t, ctx, "/embed?demo=cpu-sumsq")
	assert.True(t, eval[bool](t, ctx, `!!document.querySelector(".controls")`), "knobs shown by default")
}

// TestWorkerCrashFailsItsTaskAndTheRunGoesOn makes a worker fail in the
// middle of a run: its task fails, it is replaced, the other tasks finish,
// and the next run is whole again. The worker is armed before the run and
// fails on the first task it is handed, so the crash always lands mid-run.
func TestWorkerCrashFailsItsTaskAndTheRunGoesOn(t *testing.T) {
	ctx := page(t)
	// A first small run, so that the page's warm-up is over before the
	// worker is armed.
	open(t, ctx, "/?demo=cpu-sumsq&strategy=workers&workers=2&tasks=64&size=1000000&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 30*time.Second)
	setKnob(t, ctx, "size", "1000000000")
	eval[bool](t, ctx, `(lanesTest.failWorker(1), true)`)
	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 60*time.Second)
	got := finished(t, ctx)["workers"]
	t.Logf("after the crash: %+v", got)
	assert.True(t, got.Partial)
	assert.Contains(t, got.Error, "failed")
	assert.Contains(t, got.Error, "worker")
	assert.Equal(t, 64, got.Bars, "every task ran, the failed one too")
	// The crashed worker's replacement loads the app's wasm: a busy
	// machine may take many seconds.
	waitPool(t, ctx, `s.ready === s.size && s.busy === 0`, time.Minute)

	// The next run is whole.
	open(t, ctx, "/?demo=cpu-sumsq&strategy=workers&workers=2&size=100000000&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 30*time.Second)
	got = finished(t, ctx)["workers"]
	require.False(t, got.Partial, "%+v", got)
	assert.Equal(t, "333333328333333350000000", got.Result)
}

// TestSourceShowsCoreCode opens a source file: it shows core's own code
// and stays open while the page redraws.
func TestSourceShowsCoreCode(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq")
	do(t, ctx, chromedp.Click(".source summary"))
	waitFor(t, ctx, `document.querySelectorAll(".source pre").length === 1`, 5*time.Second)
	do(t, ctx, chromedp.Click("input[name=strategy-pool]"))
	waitFor(t, ctx, `location.search.includes("pool")`, 5*time.Second)
	assert.True(t, eval[bool](t, ctx, `document.querySelector(".source details").open`), "still open after a redraw")
	code := eval[string](t, ctx, `document.querySelector(".source pre").textContent`)
	assert.Contains(t, code, "func SumSquares(ctx context.Context, lo, hi uint64) (U128, error)")
}

// TestFailedStartSaysWhyAndRecovers starts the page where Web Workers
// cannot be made (as under a policy that forbids them), so the coordinator
// cannot start: the page says why, and a run fails with that reason
// instead of hanging. Once workers can be made, the next Run starts them
// and gives the exact answer.
func TestFailedStartSaysWhyAndRecovers(t *testing.T) {
	ctx := page(t, "web workers", "no Web Workers here")
	_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
		const Real = window.Worker;
		window.noWorkers = true;
		window.Worker = function (...args) {
			if (window.noWorkers) throw new Error("no Web Workers here");
			return new Real(...args);
		};
	})()`})
	require.NoError(t, err)
	do(t, ctx, chromedp.Navigate(base+"/?demo=cpu-sumsq&strategy=sequential,workers&size=1000000"))
	waitFor(t, ctx, `performance.getEntriesByName("lanes app ready").length > 0`, 20*time.Second)
	waitFor(t, ctx, `!document.querySelector("#boot-error").hidden`, 20*time.Second)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#boot-error").textContent`), "no Web Workers here")

	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `["done", "stopped"].includes(document.querySelector("#lanes").dataset.state)`, 20*time.Second)
	for _, id := range []string{"sequential", "workers"} {
		assert.Contains(t, finished(t, ctx)[id].Error, "no Web Workers here", id)
	}

	eval[bool](t, ctx, `(window.noWorkers = false, true)`)
	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 40*time.Second)
	got := finished(t, ctx)
	for _, id := range []string{"sequential", "workers"} {
		assert.Equal(t, "333332833333500000", got[id].Result, "%s: %+v", id, got[id])
		assert.Empty(t, got[id].Error, id)
	}
}

// TestPageCrashSaysSo crashes the page's Go program: the page must say
// so, and the console.error that says it is what fails any other test
// whose page crashes (a Go panic's own text goes to console.log).
func TestPageCrashSaysSo(t *testing.T) {
	// Whatever calls into the stopped program then (a timer, an event)
	// throws that it has exited.
	ctx := page(t, "crashed, exit code", "Go program has already exited")
	open(t, ctx, "/?demo=cpu-sumsq")
	eval[bool](t, ctx, `(window.lanesTest.crash(), true)`)
	waitFor(t, ctx, `!document.querySelector("#boot-error").hidden`, 10*time.Second)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#boot-error").textContent`), "the program crashed (exit code 2)")
}

// setKnob types value into a knob's input and commits it.
func setKnob(t *testing.T, ctx context.Context, name, value string) {
	t.Helper()
	do(t, ctx, chromedp.SetValue("#knob-"+name, value))
	do(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#knob-`+name+`").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitFor(t, ctx, `location.search.includes("`+name+`=`+value+`")`, 5*time.Second)
}
