//go:build !js

package browsertest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
	"lanes/core/trace"
)

// TestCompareWithNative runs in the browser, then asks the server for the
// native run and checks the side-by-side table: a ratio per strategy and
// the same exact results.
func TestCompareWithNative(t *testing.T) {
	ctx := page(t)
	runDemo(t, ctx, "demo=cpu-primes&strategy=sequential,workers&size=1000000", 60*time.Second)
	do(t, ctx, chromedp.Click("#native"))
	waitFor(t, ctx, `document.querySelectorAll(".comparison tbody tr").length === 2 || !!document.querySelector(".compare .error")`, 60*time.Second)
	type row struct {
		Strategy, Ratio, Same string
	}
	rows := eval[[]row](t, ctx, `Array.from(document.querySelectorAll(".comparison tbody tr")).map(r => ({
		strategy: r.dataset.strategy, ratio: r.querySelector(".ratio").textContent, same: r.querySelector(".same").textContent}))`)
	require.Len(t, rows, 2, "error: %s", eval[string](t, ctx, `document.querySelector(".compare .error")?.textContent ?? ""`))
	for _, r := range rows {
		assert.Regexp(t, `^[0-9.]+×$`, r.Ratio, r.Strategy)
		assert.Equal(t, "yes", r.Same, r.Strategy)
	}
	t.Logf("browser ÷ native: %+v", rows)
}

// TestLoadSavedReport loads a report saved by `lanes run --json` into the
// comparison.
func TestLoadSavedReport(t *testing.T) {
	out, err := exec.Command(filepath.Join(root, "bin", "lanes"), "run", "cpu-sumsq", "--strategy", "sequential,workers", "--size", "1000000", "--json").Output()
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "native.json")
	require.NoError(t, os.WriteFile(file, out, 0o644))
	ctx := page(t)
	runDemo(t, ctx, "demo=cpu-sumsq&strategy=sequential,workers&size=1000000", 60*time.Second)
	do(t, ctx, chromedp.SetUploadFiles("#load", []string{file}))
	waitFor(t, ctx, `document.querySelectorAll(".comparison tbody tr").length === 2`, 10*time.Second)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector(".platform").textContent`), "a saved report")
	assert.Equal(t, []string{"yes", "yes"}, eval[[]string](t, ctx, `Array.from(document.querySelectorAll(".comparison .same")).map(e => e.textContent)`))
}

// TestDownloadReport saves the page's report and reads it back.
func TestDownloadReport(t *testing.T) {
	dir := t.TempDir()
	ctx := page(t)
	_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
	require.NoError(t, err)
	runDemo(t, ctx, "demo=cpu-primes&strategy=sequential,workers&size=1000000", 60*time.Second)
	do(t, ctx, chromedp.Click("#download"))
	file := filepath.Join(dir, "lanes-cpu-primes-browser.json")
	require.Eventually(t, func() bool { _, err := os.Stat(file); return err == nil }, 10*time.Second, 50*time.Millisecond)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var rep report.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, report.Schema, rep.Schema)
	assert.Equal(t, "browser", rep.Platform.Kind)
	assert.NotEmpty(t, rep.Platform.UserAgent)
	require.Len(t, rep.Runs, 2)
	for _, r := range rep.Runs {
		assert.Equal(t, "78498", r.Result)
		assert.Positive(t, r.IdealMs)
	}

	// The same runs as a trace for Perfetto: valid, a complete event for
	// each task (and, nested, one for each of its phases), the strategies
	// named.
	do(t, ctx, chromedp.Click("#download-trace"))
	file = filepath.Join(dir, "lanes-cpu-primes-browser.trace.json")
	require.Eventually(t, func() bool { _, err := os.Stat(file); return err == nil }, 10*time.Second, 50*time.Millisecond)
	data, err = os.ReadFile(file)
	require.NoError(t, err)
	_, err = trace.Validate(data)
	require.NoError(t, err)
	var f trace.File
	require.NoError(t, json.Unmarshal(data, &f))
	assert.Equal(t, len(rep.Runs[0].Tasks)+len(rep.Runs[1].Tasks), f.Count("X", "task"))
	assert.Contains(t, string(data), `"name":"sequential"`)
	assert.Contains(t, string(data), `"name":"workers"`)
}
