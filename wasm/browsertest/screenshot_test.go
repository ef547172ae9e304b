//go:build !js

package browsertest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// TestScreenshots writes the app after a run, light, dark and 375 px wide,
// and the timelines of runs in every task state (timeline-*), to
// test-output/ for a person to look at; it checks that nothing spills
// sideways at 375 px.
func TestScreenshots(t *testing.T) {
	out := filepath.Join(root, "test-output")
	require.NoError(t, os.MkdirAll(out, 0o755))
	tests := []struct {
		name  string
		width int64
		query string
	}{
		{"light", 1280, "theme=light"},
		{"dark", 1280, "theme=dark"},
		{"375px", 375, ""},
		{"embed-dark", 700, "theme=dark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := page(t)
			do(t, ctx, chromedp.EmulateViewport(tt.width, 900, chromedp.EmulateScale(1)))
			path := "/?"
			if tt.name == "embed-dark" {
				path = "/embed?"
			}
			open(t, ctx, path+"demo=cpu-sumsq&strategy=sequential,goroutines,workers&autorun=1&"+tt.query) // the default size, as a visitor sees it
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 60*time.Second)
			waitFor(t, ctx, drawn, 10*time.Second)
			if tt.width < 400 {
				scroll := eval[int](t, ctx, `document.documentElement.scrollWidth`)
				assert.LessOrEqual(t, scroll, int(tt.width), "the page scrolls sideways at %d px", tt.width)
			}
			png := screenshot(t, ctx, chromedp.FullScreenshot(100))
			require.NoError(t, os.WriteFile(filepath.Join(out, "app-"+tt.name+".png"), png, 0o644))
		})
	}
	timelineScreenshots(t, out)
}

// timelineScreenshots writes the timelines of runs with every task state,
// light, dark and 375 px wide, and 10,000 tasks' density rows, to
// out/timeline-*.png, with a task pointed at (or, in dark, focused from
// the keyboard); then real runs of the demos whose states teach most (a
// semaphore's queue, results held in order, a mutex's waits). It checks
// that nothing spills sideways at 375 px.
func timelineScreenshots(t *testing.T, out string) {
	for _, tt := range []struct {
		name, query string
		width       int64
	}{
		{"semaphore", "demo=io-download&strategy=sequential,semaphore,goroutines&theme=light", 1280},
		{"order-dark", "demo=order&theme=dark", 1280},
		{"race-375px", "demo=race&strategy=unsafe,mutex", 375},
	} {
		t.Run("timeline-real-"+tt.name, func(t *testing.T) {
			ctx := page(t)
			do(t, ctx, chromedp.EmulateViewport(tt.width, 900, chromedp.EmulateScale(1)))
			open(t, ctx, "/?"+tt.query+"&autorun=1")
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, 60*time.Second)
			waitFor(t, ctx, drawn, 10*time.Second)
			if tt.width < 400 {
				assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), int(tt.width), "the page scrolls sideways")
			}
			png := screenshot(t, ctx, chromedp.Screenshot(chromedp.CSS(".runs")))
			require.NoError(t, os.WriteFile(filepath.Join(out, "timeline-real-"+tt.name+".png"), png, 0o644))
		})
	}
	tests := []struct {
		name   string
		width  int64
		query  string
		report report.Report
		keys   bool // focus a task from the keyboard, rather than point at one
	}{
		{"light", 1280, "theme=light", statesReport(), false},
		{"dark", 1280, "theme=dark", statesReport(), true},
		{"375px", 375, "", statesReport(), false},
		{"375px-dark", 375, "theme=dark", statesReport(), false},
		{"10k", 1280, "theme=light", manyReport(10_000), false},
		{"10k-dark", 375, "theme=dark", manyReport(10_000), false},
	}
	for _, tt := range tests {
		t.Run("timeline-"+tt.name, func(t *testing.T) {
			ctx := page(t)
			do(t, ctx, chromedp.EmulateViewport(tt.width, 900, chromedp.EmulateScale(1)))
			open(t, ctx, "/?demo=cpu-sumsq&"+tt.query)
			loadReport(t, ctx, tt.report)
			// Point at the first run's third task, as a reader would.
			first := tt.report.Runs[0].Strategy
			r := place(t, ctx, first)
			task := tt.report.Runs[0].Tasks[2]
			row := task.Lane
			if len(tt.report.Runs[0].Tasks) > 1000 {
				row = 0 // a density row
			}
			if tt.keys {
				do(t, ctx, chromedp.Focus(chromedp.CSS(stage(first))))
				for _, k := range []string{kb.ArrowRight, kb.ArrowRight, kb.ArrowDown} {
					do(t, ctx, chromedp.KeyEvent(k))
				}
			} else {
				do(t, ctx, chromedp.MouseEvent(chromedp.MouseMoved, r.x((task.StartMs+task.EndMs)/2), r.y(row)))
			}
			eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
			if tt.width < 400 {
				scroll := eval[int](t, ctx, `document.documentElement.scrollWidth`)
				assert.LessOrEqual(t, scroll, int(tt.width), "the page scrolls sideways at %d px", tt.width)
			}
			png := screenshot(t, ctx, chromedp.Screenshot(chromedp.CSS(".runs")))
			require.NoError(t, os.WriteFile(filepath.Join(out, "timeline-"+tt.name+".png"), png, 0o644))
		})
	}
}

// TestThemes: the page follows prefers-color-scheme, and theme= overrides it.
func TestThemes(t *testing.T) {
	tests := []struct {
		scheme, query string
		dark          bool
	}{
		{"light", "", false},
		{"dark", "", true},
		{"dark", "&theme=light", false},
		{"light", "&theme=dark", true},
	}
	for _, tt := range tests {
		t.Run(tt.scheme+tt.query, func(t *testing.T) {
			ctx := page(t)
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: tt.scheme}}})
			require.NoError(t, err)
			open(t, ctx, "/?demo=cpu-sumsq"+tt.query)
			// The sum of the background's red, green and blue.
			sum := eval[int](t, ctx, `getComputedStyle(document.body).backgroundColor.match(/\d+/g).slice(0, 3).reduce((a, b) => a + +b, 0)`)
			assert.Equal(t, tt.dark, sum < 3*128, "background channels sum to %d", sum)

			// The timeline draws in the theme's colours: computing (task
			// 0 of the semaphore, 32–40 ms) is the style sheet's, dark
			// on light and light on dark.
			loadReport(t, ctx, statesReport())
			px := eval[[]int](t, ctx, `(() => {
				const s = document.querySelector('`+stage("semaphore")+`'), c = s.querySelector("canvas"), d = s.dataset;
				const x = Math.round((+d.plotLeft + +d.plotWidth * 36 / +d.to) * c.width / c.clientWidth), y = Math.round(11 * c.height / c.clientHeight);
				return Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data.slice(0, 3)); })()`)
			want := eval[[]int](t, ctx, `getComputedStyle(document.documentElement).getPropertyValue("--tl-compute").trim().match(/[0-9a-f]{2}/gi).map(h => parseInt(h, 16))`)
			assert.Equal(t, want, px, "computing in the style sheet's colour")
			assert.Equal(t, tt.dark, px[0]+px[1]+px[2] > 3*128, "computing is light on dark, dark on light: %v", px)
		})
	}
}
