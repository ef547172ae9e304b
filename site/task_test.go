package site

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
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
	"lanes/core/workload"
)

// fakeTasks is a build service, an editor and the compression of links,
// in this process: Pack and Unpack are Go's compress/flate, the format
// the browser's CompressionStream("deflate-raw") writes and reads.
type fakeTasks struct {
	mu       sync.Mutex
	info     BuildInfo
	infoErr  error
	starters map[string]string // URL → code
	built    []string          // the sources Build was given
	results  []error           // what each Build returns, in turn (then nil)
	block    chan struct{}     // if set, Build waits for it or for ctx

	doc      string
	open     bool
	readOnly bool
	diags    []Diagnostic
	focus    bool
}

const sumsqStarter = "package task\n\n// the demo's code\n"

func newFakeTasks() *fakeTasks {
	return &fakeTasks{
		info: BuildInfo{Enabled: true, State: "ready", Starters: []StarterInfo{
			{Demo: "cpu-sumsq", Tasks: 8, URL: "/build/starter/cpu-sumsq.go"},
			{Demo: "io-download", Tasks: 20, URL: "/build/starter/io-download.go"},
		}},
		starters: map[string]string{
			"/build/starter/cpu-sumsq.go":   sumsqStarter,
			"/build/starter/io-download.go": "package task\n\n// downloads\n",
		},
	}
}

func (f *fakeTasks) Info(context.Context) (BuildInfo, error) { return f.info, f.infoErr }

func (f *fakeTasks) Starter(_ context.Context, url string) (string, error) {
	code, ok := f.starters[url]
	if !ok {
		return "", errors.New("404 Not Found")
	}
	return code, nil
}

func (f *fakeTasks) Build(ctx context.Context, source string, step func(string)) error {
	f.mu.Lock()
	f.built = append(f.built, source)
	var err error
	if len(f.results) > 0 {
		err, f.results = f.results[0], f.results[1:]
	}
	block := f.block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	step("Starting the task's workers…")
	return err
}

func (f *fakeTasks) Pack(_ context.Context, data []byte) ([]byte, error) { return deflate(data), nil }

func (f *fakeTasks) Unpack(_ context.Context, data []byte, limit int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), int64(limit)))
}

func (f *fakeTasks) Mount(_ any, doc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.open {
		f.open, f.doc = true, doc
	}
}

func (f *fakeTasks) SetDoc(doc string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.doc = doc
}

func (f *fakeTasks) Doc() (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.doc, f.open
}

func (f *fakeTasks) SetReadOnly(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.readOnly = on
}

func (f *fakeTasks) SetDiagnostics(ds []Diagnostic) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.diags = ds
}

func (f *fakeTasks) Focus() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.focus = true
}

func (f *fakeTasks) builds() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.built...)
}

// deflate is raw DEFLATE, as a link's code is compressed.
func deflate(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// fragmentOf writes code as a link's fragment carries it, independently
// of the page's code.
func fragmentOf(code string) string {
	return "#code=" + base64.RawURLEncoding.EncodeToString(deflate([]byte(code)))
}

// newTaskRoot sets a page up from path (with /embed for an embed) and
// hash as wasm/app does, with fake backends, and loads its task.
func newTaskRoot(t *testing.T, path, hash string) (*Root, *fakeBackend, *fakeTasks, *staticrender.StaticRenderer, bool) {
	t.Helper()
	f, tasks := &fakeBackend{}, newFakeTasks()
	r := staticrender.New(nil)
	p, query, _ := strings.Cut(path, "?")
	c := &Root{Backend: f, Events: r.EventEnv(), Runs: Runs{warm: true}, Settings: Settings{Embed: p == "/embed"}, UserTask: UserTask{Tasks: tasks}}
	autorun := c.Setup("?" + query)
	autorun = c.SetupTask(hash, autorun)
	go func() {
		for {
			c.Rendered(c.Gen())
			time.Sleep(time.Millisecond)
		}
	}()
	return c, f, tasks, r, autorun
}

// registerTask registers task i of n answering i² for the test.
func registerTask(t *testing.T) {
	workload.SetTask(func(_ context.Context, i, _ int) (string, error) { return strconv.Itoa(i * i), nil })
	t.Cleanup(func() { workload.SetTask(nil) })
}

// TestEditShareAndOpenLink edits a demo's task, shares it, and opens the
// link: the same code, shown, not run (it is a stranger's code), even
// when the link asks for autorun.
func TestEditShareAndOpenLink(t *testing.T) {
	c, f, tasks, _, _ := newTaskRoot(t, "/?demo=cpu-sumsq&strategy=sequential,workers&workers=3&tasks=16", "")
	assert.False(t, c.CanEdit(), "not before the build service said what it can do")
	c.LoadTask(context.Background())
	require.True(t, c.CanEdit())
	act(c, c.EditTask)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Code == sumsqStarter && !c.Loading })
	assert.True(t, c.IsTask())
	assert.Equal(t, "cpu-sumsq", c.From)
	assert.Equal(t, []string{"sequential", "workers"}, c.Cfg.Strategies, "the demo's strategies carry over")
	assert.Equal(t, 3, c.Cfg.K)
	assert.Equal(t, 16, c.Cfg.Tasks)
	assert.True(t, tasks.focus, "the editor takes the focus")
	assert.Equal(t, sumsqStarter, tasks.doc)

	code := "package task\n\n// ünïcode, & = # + % signs\nfunc Task() {}\n"
	c.CodeEdited(code)
	link := c.ShareURL()
	assert.Contains(t, f.query, "#code=", "the page's own URL carries the code")
	u, err := url.Parse(link)
	require.NoError(t, err)
	assert.Equal(t, "task", u.Query().Get("demo"))
	assert.Equal(t, "cpu-sumsq", mustFragment(t, u.Fragment).Get("from"))
	assert.NotContains(t, u.RawQuery, "code", "the code is in the fragment only")
	data, err := base64.RawURLEncoding.DecodeString(mustFragment(t, u.Fragment).Get("code"))
	require.NoError(t, err)
	inflated, err := io.ReadAll(flate.NewReader(bytes.NewReader(data)))
	require.NoError(t, err)
	assert.Equal(t, code, string(inflated), "raw DEFLATE, base64url")
	assert.Contains(t, c.EmbedSnippet(), "/embed?"+u.RawQuery+"#code=")

	// Open the link, asking for autorun.
	d, f2, tasks2, _, autorun := newTaskRoot(t, "/?"+u.RawQuery+"&autorun=1", "#"+u.Fragment)
	assert.False(t, autorun)
	d.LoadTask(context.Background())
	waitUntil(t, d, 5*time.Second, func() bool { return d.Code == code })
	assert.True(t, d.IsTask())
	assert.True(t, d.FromLink)
	assert.Contains(t, d.EditorNote(), "runs only when you press Run")
	assert.Contains(t, d.Notice, "only when you press Run")
	assert.Equal(t, code, tasks2.doc)
	assert.Equal(t, []string{"sequential", "workers"}, d.Cfg.Strategies)
	time.Sleep(50 * time.Millisecond)
	assert.Empty(t, tasks2.builds(), "a link's code is not built without a click")
	assert.Empty(t, f2.runs)
	assert.Equal(t, "", d.Status)
	assert.Equal(t, link, d.ShareURL(), "the link round-trips")

	// Back to the demo, and Edit again: the edited code is kept.
	act(c, c.CloseEditor)
	assert.Equal(t, "cpu-sumsq", c.Demo.ID)
	assert.Empty(t, c.Fragment())
	assert.NotContains(t, f.query, "#")
	act(c, c.EditTask)
	assert.Equal(t, code, c.Code)
	act(c, c.ResetCode)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Code == sumsqStarter })
}

func mustFragment(t *testing.T, frag string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(frag)
	require.NoError(t, err)
	return v
}

// TestEmbedAutorunsItsCode: an embed's autorun=1 builds and runs the
// code its author put in the fragment, once it is in, and posts the
// report; the run is the task demo's, on the built module.
func TestEmbedAutorunsItsCode(t *testing.T) {
	registerTask(t)
	code := "package task // the author's\n"
	c, f, tasks, r, autorun := newTaskRoot(t, "/embed?demo=task&strategy=sequential,goroutines&tasks=5&autorun=1", fragmentOf(code))
	assert.False(t, autorun, "not before the code is in")
	c.LoadTask(context.Background())
	waitUntil(t, c, 10*time.Second, func() bool { return c.Status == "done" })
	assert.Equal(t, []string{code}, tasks.builds())
	// Three rounds, the task demo's default, each in a new order.
	assert.Equal(t, []string{"task sequential size=0", "task goroutines size=0", "task goroutines size=0",
		"task sequential size=0", "task sequential size=0", "task goroutines size=0"}, f.runs)
	require.Len(t, c.Report.Runs, 2)
	for _, run := range c.Report.Runs {
		assert.Equal(t, "30", run.Result, "Σ i² for i < 5")
	}
	assert.Equal(t, "task", c.Report.Demo)
	assert.Equal(t, protocol.TypeReport, f.types()[len(f.types())-1])
	assert.False(t, c.CanClose(), "an embed has no demo to go back to")

	var buf bytes.Buffer
	r.SetWriter(&buf)
	env, err := vugu.NewBuildEnv(r.EventEnv())
	require.NoError(t, err)
	c.Events.Lock()
	require.NoError(t, r.Render(env.RunBuild(c)))
	c.Events.UnlockOnly()
	page := buf.String()
	assert.Contains(t, page, `class="editor-box"`)
	assert.Contains(t, page, "Esc then Tab leaves the editor")
	assert.NotContains(t, page, `id="edit"`)
}

// TestBadFragments: a fragment that is not a task's code is a notice,
// and the page shows the demo's own code, runs nothing and keeps working;
// someone's anchor is no notice at all.
func TestBadFragments(t *testing.T) {
	huge := base64.RawURLEncoding.EncodeToString(deflate(bytes.Repeat([]byte("a"), 1<<20)))
	tests := []struct{ name, hash, notice string }{
		{"not base64url", "#code=%%%", "not name=value"},
		{"bad base64url", "#code=ab$cd", "not base64url"},
		{"not deflate", "#code=" + base64.RawURLEncoding.EncodeToString([]byte{0xff, 0xfe, 0xfd, 0xfc}), "does not inflate"},
		{"truncated", "#code=" + base64.RawURLEncoding.EncodeToString(deflate([]byte(strings.Repeat("package task\n", 100)))[:20]), "does not inflate"},
		{"bomb", "#code=" + huge, "over 64 KiB"},
		{"not UTF-8", "#code=" + base64.RawURLEncoding.EncodeToString(deflate([]byte{0xff, 0xc0, 'x'})), "not UTF-8"},
		{"empty", "#code=", "empty"},
		{"twice", "#code=a&code=b", "given 2 times"},
		{"no such demo", fragmentOf("package task") + "&from=nope", `from="nope"`},
		{"too long", "#code=" + strings.Repeat("A", maxPacked+1), "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			registerTask(t)
			c, f, tasks, _, _ := newTaskRoot(t, "/embed?demo=task&tasks=3&strategy=sequential&autorun=1", tt.hash)
			c.LoadTask(context.Background())
			waitUntil(t, c, 5*time.Second, func() bool { return !c.Loading })
			assert.Contains(t, c.Notice, "The link's code could not be read")
			assert.Contains(t, c.Notice, tt.notice)
			assert.True(t, c.IsTask())
			assert.Equal(t, sumsqStarter, c.Code, "the demo's own code instead")
			assert.False(t, c.FromLink)
			time.Sleep(20 * time.Millisecond)
			assert.Empty(t, tasks.builds(), "a bad link's autorun runs nothing")
			assert.Empty(t, f.runs)
			act(c, c.Start) // and the page still works
			waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "done" })
			assert.Equal(t, "5", c.Report.Runs[0].Result)
		})
	}
	for _, hash := range []string{"", "#", "#top", "#section=2", "#codex=1"} {
		c, _, _, _, _ := newTaskRoot(t, "/?demo=cpu-primes", hash)
		assert.Empty(t, c.Notice, hash)
		assert.Equal(t, "cpu-primes", c.Demo.ID, hash)
	}
}

// TestBuildFailsWithDiagnostics: a source that does not build ends the
// run as failed, its diagnostics listed and in the editor, the embedding
// page told; the next build clears them.
func TestBuildFailsWithDiagnostics(t *testing.T) {
	registerTask(t)
	c, f, tasks, _, _ := newTaskRoot(t, "/?demo=task&tasks=2&strategy=sequential", "")
	c.LoadTask(context.Background())
	waitUntil(t, c, 5*time.Second, func() bool { return !c.Loading })
	diags := []Diagnostic{{Line: 7, Column: 9, Message: "undefined: y"}, {Line: 0, Message: "no func Task"}}
	tasks.results = []error{&BuildError{Status: 422, Message: "the task does not build", Diagnostics: diags}}
	act(c, c.Start)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "failed" })
	assert.False(t, c.Running())
	assert.Nil(t, c.Report)
	assert.Equal(t, diags, tasks.diags)
	assert.Equal(t, []string{"line 7:9: undefined: y", "no func Task"}, c.DiagLines())
	assert.Equal(t, "The task does not build", c.BuildError())
	assert.Equal(t, "The build failed.", c.ProgressText())
	assert.Equal(t, protocol.TypeError, f.types()[len(f.types())-1])
	assert.Empty(t, f.runs)

	act(c, c.Start)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "done" })
	assert.Empty(t, tasks.diags)
	assert.Empty(t, c.DiagLines())
	assert.Equal(t, "1", c.Report.Runs[0].Result)
}

// TestBuildRetriesWhenBusy: a 429 or 503 with Retry-After is asked again
// after it, saying so.
func TestBuildRetriesWhenBusy(t *testing.T) {
	registerTask(t)
	c, _, tasks, _, _ := newTaskRoot(t, "/?demo=task&tasks=2&strategy=sequential", "")
	c.LoadTask(context.Background())
	waitUntil(t, c, 5*time.Second, func() bool { return !c.Loading })
	busy := &BuildError{Status: 429, Message: "you have a build under way; one at a time", RetryAfter: 30 * time.Millisecond}
	tasks.results = []error{busy, busy}
	act(c, c.Start)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "done" })
	assert.Len(t, tasks.builds(), 3)
}

// TestStopDuringBuild: Stop while building stops the run; nothing runs.
func TestStopDuringBuild(t *testing.T) {
	c, f, tasks, _, _ := newTaskRoot(t, "/?demo=task", "")
	c.LoadTask(context.Background())
	waitUntil(t, c, 5*time.Second, func() bool { return !c.Loading })
	tasks.block = make(chan struct{})
	act(c, c.Start)
	waitUntil(t, c, 5*time.Second, func() bool { return c.ProgressText() == "Building…" })
	act(c, c.Stop)
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "stopped" })
	assert.Empty(t, f.runs)
	assert.Empty(t, c.BuildErr)
}

// TestBuildServiceOff: with the service off the editor is read-only, says
// why, and Run says it cannot run the code.
func TestBuildServiceOff(t *testing.T) {
	c, _, tasks, _, _ := newTaskRoot(t, "/?demo=task", "")
	reason := "builds are turned off on this server (lanes serve --build=off): the editor is read-only"
	tasks.info.Enabled, tasks.info.State, tasks.info.Reason = false, "off", reason
	c.LoadTask(context.Background())
	waitUntil(t, c, 5*time.Second, func() bool { return c.Code == sumsqStarter })
	assert.True(t, tasks.readOnly)
	assert.Contains(t, c.EditorNote(), reason)
	act(c, c.Start)
	assert.False(t, c.Running())
	assert.Contains(t, c.BuildErr, reason)
	assert.Empty(t, tasks.builds())

	// And where the service cannot be reached at all.
	d, _, tasks2, _, _ := newTaskRoot(t, "/?demo=task", "")
	tasks2.infoErr = errors.New("404 Not Found")
	d.LoadTask(context.Background())
	waitUntil(t, d, 5*time.Second, func() bool { return !d.Loading })
	assert.True(t, tasks2.readOnly)
	assert.Contains(t, d.EditorNote(), "could not be reached")
	assert.Contains(t, d.BuildErr, "could not be fetched", "without the service, no starting code either")
}

// TestTaskConfigCarriesOver: the task's config keeps what the demo chose
// that the task has, and its defaults otherwise.
func TestTaskConfigCarriesOver(t *testing.T) {
	for _, tt := range []struct {
		query      string
		strategies []string
		tasks, k   int
	}{
		{"demo=cpu-sumsq&strategy=sequential,pool,workers&tasks=12&workers=4", []string{"sequential", "pool", "workers"}, 12, 4},
		{"demo=order&strategy=ordered,as-completed", []string{"sequential", "goroutines", "workers"}, 8, 3},
		{"demo=skew&strategy=partition,chunked&chunk=2", []string{"partition", "chunked"}, 32, 2},
		{"demo=connections&tasks=10000&workers=1000", []string{"pool", "goroutines"}, 10000, 2},
	} {
		t.Run(tt.query, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			require.NoError(t, err)
			prev, err := demo.ParseQuery(q)
			require.NoError(t, err)
			cfg := taskConfig(prev)
			assert.Equal(t, demo.TaskID, cfg.Demo)
			assert.Equal(t, tt.strategies, cfg.Strategies)
			assert.Equal(t, tt.tasks, cfg.Tasks)
			assert.Equal(t, tt.k, cfg.K, fmt.Sprint(cfg))
		})
	}
}

// TestRunWhileLoadingWaitsForTheCode: a run asked for before the code is
// in (an embed's run message as the page opens) starts once it is.
func TestRunWhileLoadingWaitsForTheCode(t *testing.T) {
	registerTask(t)
	c, _, tasks, _, _ := newTaskRoot(t, "/embed?demo=task&strategy=sequential&tasks=3", fragmentOf("package task // in a moment\n"))
	act(c, c.Start)
	assert.False(t, c.Running(), "not before the code is in")
	assert.Empty(t, tasks.builds())
	c.LoadTask(context.Background())
	waitUntil(t, c, 5*time.Second, func() bool { return c.Status == "done" })
	assert.Equal(t, []string{"package task // in a moment\n"}, tasks.builds())
	assert.Equal(t, "5", c.Report.Runs[0].Result)
}
