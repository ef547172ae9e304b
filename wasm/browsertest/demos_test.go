//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// A shown run is what the page shows of one finished run.
type shown struct {
	Result   string `json:"result"`
	Expected string `json:"expected"`
	Note     string `json:"note"`
	Error    string `json:"error"`
	Partial  bool   `json:"partial"`
	Bars     int    `json:"bars"`
	Memory   string `json:"memory"`
}

// finished reads the page's finished runs, by strategy, once their
// timelines are drawn (at the animation frame after the page's render).
func finished(t *testing.T, ctx context.Context) map[string]shown {
	t.Helper()
	waitFor(t, ctx, drawn, 10*time.Second)
	return eval[map[string]shown](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll(".run[data-final]")).map(e => {
		const text = (sel) => e.querySelector(sel)?.textContent ?? "";
		return [e.dataset.strategy, {result: text(".result"), expected: text(".expected"), note: text(".note"),
			error: text(".error"), memory: text(".memory"), partial: !!e.querySelector(".partial"), bars: +(e.querySelector(".tl-stage")?.dataset.bars ?? 0)}];
	}))`)
}

// drawn is true when every finished run's timeline is drawn.
const drawn = `[...document.querySelectorAll(".run[data-final] .tl-stage")].every(s => "bars" in s.dataset && !("pending" in s.dataset))`

// runDemo opens the app with query and autorun=1, and waits for the run.
func runDemo(t *testing.T, ctx context.Context, query string, timeout time.Duration) map[string]shown {
	t.Helper()
	open(t, ctx, "/?"+query+"&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, timeout)
	return finished(t, ctx)
}

// TestDemosExactResults runs every demo in the page with at least two
// strategies and checks the exact results it shows; the expected values
// are the native ones (`lanes run DEMO --json`).
func TestDemosExactResults(t *testing.T) {
	const sumsq1e8 = "333333328333333350000000"
	tests := []struct {
		query string
		want  map[string]string // strategy → result
	}{
		{"demo=io-download&strategy=sequential,goroutines,workers&latency=20ms",
			map[string]string{"sequential": "106710", "goroutines": "106710", "workers": "106710"}},
		{"demo=cpu-sumsq&strategy=sequential,pool,goroutines,semaphore,workers,partition&size=1e8&workers=2",
			map[string]string{"sequential": sumsq1e8, "pool": sumsq1e8, "goroutines": sumsq1e8,
				"semaphore": sumsq1e8, "workers": sumsq1e8, "partition": sumsq1e8}},
		{"demo=cpu-primes&strategy=sequential,pool,workers,partition&size=1000000",
			map[string]string{"sequential": "78498", "pool": "78498", "workers": "78498", "partition": "78498"}},
		{"demo=order&strategy=ordered,as-completed&latency=10ms",
			map[string]string{"ordered": "140", "as-completed": "140"}},
		{"demo=skew&strategy=partition,pool,chunked&size=10000000",
			map[string]string{"partition": "333333283333335000000", "pool": "333333283333335000000", "chunked": "333333283333335000000"}},
		{"demo=pipeline&strategy=sequential,goroutines,workers,hybrid&tasks=6&size=100&latency=10ms",
			map[string]string{"sequential": "72771419660339697594", "goroutines": "72771419660339697594",
				"workers": "72771419660339697594", "hybrid": "72771419660339697594"}},
		{"demo=race&strategy=mutex,atomic,channel",
			map[string]string{"mutex": "400000", "atomic": "400000", "channel": "400000"}},
		{"demo=cancel&strategy=sequential,workers&size=1000000&timeout=30s",
			map[string]string{"sequential": "333332833333500000", "workers": "333332833333500000"}},
		// 10,000 waits at the defaults: Σ k² for k < 10,000 = 9999·10000·19999/6.
		{"demo=connections&strategy=pool,goroutines",
			map[string]string{"pool": "333283335000", "goroutines": "333283335000"}},
	}
	for _, tt := range tests {
		name := strings.TrimPrefix(strings.SplitN(tt.query, "&", 2)[0], "demo=")
		t.Run(name, func(t *testing.T) {
			ctx := page(t)
			got := runDemo(t, ctx, tt.query, 60*time.Second)
			if name == "connections" {
				// Its runs make 23–29 MB of garbage each, and a collection in
				// wasm holds the main thread for all its marking: the page
				// leaves room for both (collectBeforeRun). Its one collection
				// is its heap warmer's, of a small heap, in the warm-up.
				assert.Equal(t, 1.0, eval[float64](t, ctx, `window.lanesTest.collections()`), "the page's collections, from its start to its two runs of 10,000 tasks done")
			}
			require.Len(t, got, len(tt.want), "runs shown: %v", got)
			for id, want := range tt.want {
				run := got[id]
				assert.Equal(t, want, run.Result, "%s: result", id)
				assert.False(t, run.Partial, "%s: partial", id)
				assert.Empty(t, run.Error, "%s: error", id)
				assert.Positive(t, run.Bars, "%s: no bars drawn", id)
				if name == "connections" && id == "goroutines" {
					assert.Regexp(t, `^\d{4,5} goroutines at once: [0-9.]+ KiB of stack each`, run.Memory, "%s: what a lane cost", id)
				}
				if name == "race" {
					assert.Equal(t, want, run.Expected, "%s: expected", id)
					assert.Contains(t, run.Note, "no updates lost", id)
				}
			}
		})
	}
}

// TestDownloadsOverlap: in the browser, goroutines overlap the downloads,
// including repeats of one URL (the demo fetches each target many times),
// six at a time: 12 downloads of 150 ms finish in about two rounds, against
// twelve one after another. That six overlapped is read from when their
// headers came, not from the two runs' walls, one of which a busy machine
// may stretch: the server holds each request 150 ms, so five at a time or
// fewer cannot have a sixth's headers within 150 ms of the first's.
func TestDownloadsOverlap(t *testing.T) {
	ctx := page(t)
	runDemo(t, ctx, "demo=io-download&strategy=sequential,goroutines&tasks=12&latency=150ms", 60*time.Second)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `window.lanesTest.lastReport()`)), &rep))
	require.Len(t, rep.Runs, 2)
	seq, all := rep.Runs[0], rep.Runs[1]
	t.Logf("sequential %.0f ms, goroutines %.0f ms: %.2f×", seq.WallMs, all.WallMs, all.Speedup)
	assert.Equal(t, "64026", seq.Result, "6 × 10394 + 6 × 277 bytes")
	assert.Equal(t, "64026", all.Result)
	headers := headersAt(t, all)
	require.Len(t, headers, 12)
	t.Logf("headers at %.0f ms", headers)
	assert.Less(t, headers[5]-headers[0], 150.0, "six downloads under way at once")
}

// headersAt lists, in order, when the run's downloads had their response
// headers: the end of each task's wait on I/O.
func headersAt(t *testing.T, run report.Run) []float64 {
	t.Helper()
	var at []float64
	for _, task := range run.Tasks {
		for _, p := range task.Phases {
			if p.State == report.StateIOWait {
				at = append(at, p.EndMs)
				break
			}
		}
	}
	slices.Sort(at)
	return at
}

// TestRaceUnsafeShowsLostUpdates checks that the unsafe counter's note
// accounts for every update, whatever it lost: result + lost = expected.
func TestRaceUnsafeShowsLostUpdates(t *testing.T) {
	ctx := page(t)
	got := runDemo(t, ctx, "demo=race&strategy=unsafe,atomic", 30*time.Second)
	require.Contains(t, got, "unsafe")
	unsafe := got["unsafe"]
	assert.Equal(t, "400000", unsafe.Expected, "4 tasks × 100000 increments")
	lost := 0
	if m := regexp.MustCompile(`^lost (\d+) of 400000 updates`).FindStringSubmatch(unsafe.Note); m != nil {
		lost, _ = strconv.Atoi(m[1])
	} else {
		require.Equal(t, "no updates lost of 400000", unsafe.Note)
	}
	result, err := strconv.Atoi(unsafe.Result)
	require.NoError(t, err)
	assert.Equal(t, 400000, result+lost, "result %d + lost %d", result, lost)
	assert.Equal(t, "400000", got["atomic"].Result)
}

// TestCancelDeadlineIsPartial runs the cancel demo into its deadline: the
// cut runs are reported as partial, with the tasks that finished, each
// ended within seconds of its 300 ms deadline (whole, the work takes
// seconds more). Each run's own wall is bounded, not the test's time,
// which counts the page's loading too.
func TestCancelDeadlineIsPartial(t *testing.T) {
	ctx := page(t)
	got := runDemo(t, ctx, "demo=cancel&strategy=sequential,pool,workers&size=4000000000&timeout=300ms", time.Minute)
	for _, id := range []string{"sequential", "pool", "workers"} {
		assert.True(t, got[id].Partial, "%s: not partial: %+v", id, got[id])
	}
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `window.lanesTest.lastReport()`)), &rep))
	require.Len(t, rep.Runs, 3)
	for _, r := range rep.Runs {
		assert.Less(t, r.WallMs, 5000.0, "%s: ended at its deadline", r.Strategy)
	}
}

// TestDownloadThroughProxy downloads pages of another site: the page
// fetches them through the server's /proxy, the only way past its
// connect-src 'self', and counts their bytes exactly.
func TestDownloadThroughProxy(t *testing.T) {
	ctx := page(t)
	targets := site + "/one," + site + "/two"
	got := runDemo(t, ctx, "demo=io-download&strategy=sequential,goroutines,workers&tasks=6&target="+url.QueryEscape(targets), 30*time.Second)
	for _, id := range []string{"sequential", "goroutines", "workers"} {
		assert.Equal(t, "6000", got[id].Result, "%s: %+v", id, got[id])
		assert.Empty(t, got[id].Error, id)
	}
}
