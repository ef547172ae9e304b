package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/staticrender"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/report"
	"lanes/core/workload"
)

// fakeBackend runs demos natively, in this process, and records what the
// page posts and puts in its URL.
type fakeBackend struct {
	mu    sync.Mutex
	posts []protocol.Outbound
	query string
	block chan struct{} // if set, RunOne waits for it or for ctx
	live  int           // DrawLive calls
	runs  []string      // what RunOne ran: "demo strategy size=N"
}

func (f *fakeBackend) Platform() report.Platform       { return report.Here("browser") }
func (f *fakeBackend) Origin() string                  { return "http://lanes.test" }
func (f *fakeBackend) SetQuery(q string)               { f.query = q }
func (f *fakeBackend) Download(string, string, []byte) {}
func (f *fakeBackend) ReadFile(ctx context.Context, input any) ([]byte, error) {
	if input == "never" { // a file that never finishes reading
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return nil, errors.New("no files here")
}
func (f *fakeBackend) Native(ctx context.Context, cfg demo.Config) (report.Report, error) {
	return demo.Run(ctx, demo.Env{Platform: report.Here("native"), Runner: workload.Runner{}}, cfg)
}
func (f *fakeBackend) DrawTimeline(any, report.Run, float64) {}
func (f *fakeBackend) DrawLive(run report.Run, tasks int, spanMs float64, progress string, done, total int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.live++
}
func (f *fakeBackend) Rehearse(context.Context) {}
func (f *fakeBackend) Post(msg protocol.Outbound) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posts = append(f.posts, msg)
}
func (f *fakeBackend) RunOne(ctx context.Context, cfg demo.Config, id string, onTask func(report.Task)) (report.Run, error) {
	f.mu.Lock()
	f.runs = append(f.runs, fmt.Sprintf("%s %s size=%d", cfg.Demo, id, cfg.Size))
	f.mu.Unlock()
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return report.Run{}, ctx.Err()
		}
	}
	env := demo.Env{Runner: workload.Runner{}, OnTask: func(_ string, t report.Task) { onTask(t) }}
	return demo.RunOne(ctx, env, cfg, id)
}

func (f *fakeBackend) types() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ts []string
	for _, p := range f.posts {
		ts = append(ts, p.Type)
	}
	return ts
}

// newRoot sets a root up from query, as warm as after its first run, with
// a stand-in for the page's render loop that tells it every state it
// would have rendered.
func newRoot(query string) (*Root, *fakeBackend, *staticrender.StaticRenderer, bool) {
	f := &fakeBackend{}
	r := staticrender.New(nil)
	c := &Root{Backend: f, Events: r.EventEnv(), Runs: Runs{warm: true}}
	autorun := c.Setup(query)
	go func() {
		for {
			c.Rendered(c.Gen())
			time.Sleep(time.Millisecond)
		}
	}()
	return c, f, r, autorun
}

func TestSetup(t *testing.T) {
	tests := []struct {
		query, demo, notice string
		autorun             bool
		strategies          []string
	}{
		{"", "cpu-sumsq", "", false, []string{"sequential", "goroutines", "workers"}},
		{"?demo=cpu-primes&strategy=sequential,workers&size=1e6&autorun=1", "cpu-primes", "", true, []string{"sequential", "workers"}},
		{"?demo=cpu-primes&size=-4&autorun=1", "cpu-primes", "size=", false, []string{"sequential", "goroutines", "workers"}},
		{"?demo=nope", "cpu-sumsq", `demo "nope"`, false, []string{"sequential", "goroutines", "workers"}},
		{"?demo=race&theme=purple", "race", `theme="purple"`, false, []string{"unsafe", "mutex", "atomic", "channel"}},
		{"?theme=dark", "cpu-sumsq", "", false, []string{"sequential", "goroutines", "workers"}},
		{"?%zz", "cpu-sumsq", "could not be read", false, []string{"sequential", "goroutines", "workers"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			c, _, _, autorun := newRoot(tt.query)
			require.NotNil(t, c.Demo)
			assert.Equal(t, tt.demo, c.Demo.ID)
			assert.Equal(t, tt.autorun, autorun)
			assert.Equal(t, tt.strategies, c.Cfg.Strategies)
			if tt.notice == "" {
				assert.Empty(t, c.Notice)
			} else {
				assert.Contains(t, c.Notice, tt.notice)
			}
		})
	}
}

func TestKnobsAndShare(t *testing.T) {
	c, f, _, _ := newRoot("?demo=cpu-sumsq")
	c.SetParam("size", "5000")
	assert.Empty(t, c.FormErr)
	assert.Equal(t, int64(5000), c.Cfg.Size)
	assert.Contains(t, f.query, "size=5000")
	c.SetParam("workers", "99")
	assert.Contains(t, c.FormErr, "from 1 to 32")
	assert.Equal(t, 2, c.Cfg.K, "a bad value changes nothing")
	c.ToggleStrategy("goroutines")
	assert.Equal(t, []string{"sequential", "workers"}, c.Cfg.Strategies)
	c.ToggleStrategy("pool")
	assert.Equal(t, []string{"sequential", "pool", "workers"}, c.Cfg.Strategies, "in the demo's order")
	assert.True(t, strings.HasPrefix(c.ShareURL(), "http://lanes.test/?demo=cpu-sumsq&"))
	assert.Contains(t, c.EmbedSnippet(), `src="http://lanes.test/embed?demo=cpu-sumsq&`)
	assert.Error(t, c.Apply(map[string]string{"size": "x"}))
	assert.Equal(t, int64(5000), c.Cfg.Size)
}

// TestApplyTakesPageKeys applies a run message's params with the page's
// own keys, as the URL has them: autorun is ignored, theme and controls
// apply, and a bad one is refused whole.
func TestApplyTakesPageKeys(t *testing.T) {
	c, _, _, _ := newRoot("/embed?demo=cpu-sumsq")
	c.Embed = true
	require.NoError(t, c.Apply(map[string]string{"demo": "cpu-sumsq", "size": "1000000", "autorun": "1", "theme": "dark", "controls": "0"}))
	assert.Equal(t, int64(1000000), c.Cfg.Size)
	assert.Equal(t, "dark", c.Theme)
	assert.False(t, c.Controls)
	err := c.Apply(map[string]string{"size": "2000000", "theme": "purple"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `theme="purple": want light or dark`)
	assert.Equal(t, int64(1000000), c.Cfg.Size, "a bad message changes nothing")
	assert.Equal(t, "dark", c.Theme)
}

// TestRunAndRender runs a small demo through the root, as the page does,
// and renders the page natively.
func TestRunAndRender(t *testing.T) {
	c, f, r, _ := newRoot("?demo=cpu-sumsq&strategy=sequential,goroutines&size=1000&tasks=4")
	act(c, c.Start)
	waitUntil(t, c, 10*time.Second, func() bool { return c.Status == "done" })
	require.Len(t, c.Report.Runs, 2)
	for _, run := range c.Report.Runs {
		assert.Equal(t, "332833500", run.Result)
	}
	assert.Equal(t, "report", f.types()[len(f.types())-1])
	var buf bytes.Buffer
	r.SetWriter(&buf)
	env, err := vugu.NewBuildEnv(r.EventEnv())
	require.NoError(t, err)
	require.NoError(t, r.Render(env.RunBuild(c)))
	page := buf.String()
	assert.Contains(t, page, `data-strategy="goroutines"`)
	assert.Contains(t, page, "332833500")
	assert.Contains(t, page, `class="timeline-box"`) // the drawing goes in from the browser
	// A drawing changes with what it shows, and only then.
	run0 := c.Report.Runs[0]
	d := c.Drawing(0, run0)
	assert.Equal(t, c.Span(), d.Span)
	assert.Equal(t, d, c.Drawing(0, run0), "the same")
	assert.NotEqual(t, d, c.Drawing(1, run0), "another card")
	longer := run0
	longer.WallMs = 3 * c.Span() // longer than every run, however a busy machine timed them
	c.Report.Runs = append(c.Report.Runs, longer)
	assert.Equal(t, longer.WallMs, c.Drawing(0, run0).Span, "a new run changed the shared scale")
	assert.NotEqual(t, d.Key, c.Drawing(0, run0).Key)
	c.Report.Runs = c.Report.Runs[:2]
	assert.Contains(t, page, "core/workload/sumsq.go")
	assert.Contains(t, page, `class="verdict"`, "each finished run says what it shows")
	assert.Contains(t, page, html.EscapeString(c.Report.Runs[1].Verdict))
	assert.Contains(t, page, `class="losses"`)
}

// TestLoadReportGivesUp: a file that never finishes reading is given up
// on, with the reason shown, when the load's time is up.
func TestLoadReportGivesUp(t *testing.T) {
	defer func(d time.Duration) { loadTimeout = d }(loadTimeout)
	loadTimeout = 50 * time.Millisecond
	c, _, _, _ := newRoot("?demo=cpu-sumsq")
	c.LoadReport("never")
	waitUntil(t, c, 5*time.Second, func() bool { return c.NativeErr != "" })
	assert.Contains(t, c.NativeErr, "context deadline exceeded")
}

// TestRepeatsInterleavedShowMedians runs two strategies three times each:
// interleaved with the order rotating, each shown as its median with the
// range of its repeats.
func TestRepeatsInterleavedShowMedians(t *testing.T) {
	c, f, _, _ := newRoot("?demo=cpu-sumsq&strategy=sequential,goroutines&size=1000&tasks=4&runs=3")
	act(c, c.Start)
	waitUntil(t, c, 10*time.Second, func() bool { return c.Status == "done" })
	assert.Equal(t, []string{"sequential", "goroutines", "goroutines", "sequential", "sequential", "goroutines"}, strategiesOf(f.runs))
	require.Len(t, c.Report.Runs, 2)
	for _, run := range c.Report.Runs {
		assert.Equal(t, "332833500", run.Result)
		assert.Len(t, run.WallsMs, 3)
		require.NotNil(t, run.Spread)
		assert.LessOrEqual(t, run.Spread.MinMs, run.WallMs)
		assert.GreaterOrEqual(t, run.Spread.MaxMs, run.WallMs)
	}
	assert.Equal(t, c.Total, c.Done)
	assert.Equal(t, 24, c.Total, "4 tasks × 2 strategies × 3 runs")
}

// strategiesOf picks the strategy out of each of fakeBackend's runs.
func strategiesOf(runs []string) []string {
	var ids []string
	for _, r := range runs {
		ids = append(ids, strings.Fields(r)[1])
	}
	return ids
}

// TestWarmUpBeforeFirstRun: the page's first run is preceded by a small
// cpu-sumsq over both paths (inside one worker, over the pool), which is
// not shown, counted or reported; the next run has none.
func TestWarmUpBeforeFirstRun(t *testing.T) {
	c, f, _, _ := newRoot("?demo=cpu-primes&strategy=goroutines&size=1000&tasks=4")
	c.warm = false
	act(c, c.Start)
	waitUntil(t, c, 10*time.Second, func() bool { return c.Status == "done" })
	assert.Equal(t, []string{"cpu-sumsq sequential size=8000000", "cpu-sumsq goroutines size=8000000", "cpu-sumsq workers size=8000000", "cpu-primes goroutines size=1000"}, f.runs)
	require.Len(t, c.Report.Runs, 1)
	assert.Equal(t, "168", c.Report.Runs[0].Result, "primes below 1000")
	assert.False(t, c.Warming)
	act(c, c.Start)
	waitUntil(t, c, 10*time.Second, func() bool { return c.Status == "done" })
	assert.Len(t, f.runs, 5, "one warm-up a page")
}

func TestStopMakesPartialRun(t *testing.T) {
	c, f, _, _ := newRoot("?demo=cpu-sumsq&strategy=sequential,workers&tasks=3")
	f.block = make(chan struct{})
	act(c, c.Start)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Live != nil })
	act(c, c.Stop)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "stopped" })
	require.Len(t, c.Report.Runs, 1, "the strategies after the stopped one do not run")
	run := c.Report.Runs[0]
	assert.True(t, run.Partial)
	assert.Len(t, run.Tasks, 3)
	for _, task := range run.Tasks {
		assert.Equal(t, -1, task.Lane)
	}
}

// waitUntil waits up to within for cond, read under the page's event lock
// as the page's goroutines change it.
func waitUntil(t *testing.T, c *Root, within time.Duration, cond func() bool) {
	t.Helper()
	require.Eventually(t, func() bool {
		c.Events.Lock()
		defer c.Events.UnlockOnly()
		return cond()
	}, within, time.Millisecond)
}

// act calls f as an event handler does: under the event lock, then renders.
func act(c *Root, f func()) {
	c.Events.Lock()
	f()
	c.Events.UnlockRender()
}

// TestWaitRenderedSeesTheLatestPaint: renders painted while nobody waited
// leave the latest generation, not a stale one that would make the next
// wait run into its timeout. The timeout is made a minute, so that a wait
// that runs into it is told from one that returned at once, however slow
// the machine.
func TestWaitRenderedSeesTheLatestPaint(t *testing.T) {
	defer func(d time.Duration) { renderWait = d }(renderWait)
	renderWait = time.Minute
	c := &Root{}
	c.Rendered(1)
	c.Rendered(3)
	c.Rendered(2) // late, out of order
	assert.Equal(t, int64(3), c.painted.Load())
	done := make(chan struct{})
	go func() {
		c.waitRendered(3)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("waited for a render already painted")
	}
}
