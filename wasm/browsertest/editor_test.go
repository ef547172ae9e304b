//go:build !js

package browsertest

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The user's own task in the page: the real build service (the tests'
// server has it on, with the real Go toolchain) builds each source below
// into a module whose Web Workers run it.

// sumsqSize is the bound of sumsqTask's sum.
const sumsqSize = 10_000_000

// sumsqTask adds up k² over task i's slice of [0, sumsqSize), exactly, as
// a learner might write it; its answer is checked against the closed form.
var sumsqTask = fmt.Sprintf(`package task

import (
	"context"
	"math/big"
	"runtime"
)

const size = %d

// Task adds up k² for k in its slice of [0, size).
func Task(ctx context.Context, i, n int) (string, error) {
	sum := new(big.Int)
	var part uint64 // at most 1024 squares under 10^14: no overflow
	for k := uint64(size * i / n); k < uint64(size*(i+1)/n); k++ {
		part += k * k
		if k%%1024 == 1023 {
			sum.Add(sum, new(big.Int).SetUint64(part))
			part = 0
			if err := ctx.Err(); err != nil {
				return "", err
			}
			runtime.Gosched()
		}
	}
	return sum.Add(sum, new(big.Int).SetUint64(part)).String(), nil
}
`, sumsqSize)

// sumOfSquares is Σ k² for 0 ≤ k < n, (n-1)n(2n-1)/6.
func sumOfSquares(n int64) string {
	a, b, c := big.NewInt(n-1), big.NewInt(n), big.NewInt(2*n-1)
	p := new(big.Int).Mul(a, b)
	p.Mul(p, c)
	return p.Div(p, big.NewInt(6)).String()
}

// panicTask's task 2 panics; the others answer i.
const panicTask = `package task

import (
	"context"
	"strconv"
)

func Task(ctx context.Context, i, n int) (string, error) {
	if i == 2 {
		panic("task 2 is broken")
	}
	return strconv.Itoa(i), nil
}
`

// foreverTask never returns when n > 4, and never looks at ctx; with fewer
// tasks, task i answers i².
const foreverTask = `package task

import (
	"context"
	"strconv"
)

func Task(ctx context.Context, i, n int) (string, error) {
	for n > 4 {
	}
	return strconv.Itoa(i * i), nil
}
`

// brokenTask does not build: y is undefined on line 7, at byte column 22
// (character 21: "é" is two bytes).
const brokenTask = `package task

import "context"

func Task(ctx context.Context, i, n int) (string, error) {
	_ = ctx
	return "héllo, " + y, nil
}
`

var (
	warmOnce sync.Once
	warmErr  error
)

// warmBuild has the build service build once, before a test times its
// page: the first build after a cold Go build cache takes ~15 s.
func warmBuild(t *testing.T) {
	t.Helper()
	warmOnce.Do(func() {
		body, _ := json.Marshal(map[string]string{"source": sumsqTask})
		client := &http.Client{Timeout: 3 * time.Minute}
		t0 := time.Now()
		resp, err := client.Post(base+"/api/build", "application/json", bytes.NewReader(body))
		if err != nil {
			warmErr = err
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			warmErr = fmt.Errorf("POST /api/build: %s: %s", resp.Status, out)
		}
		t.Logf("the build service's first build answered in %s", time.Since(t0).Round(time.Millisecond))
	})
	require.NoError(t, warmErr, "the build service must build on the tests' server (a Go toolchain, safejs in the module cache)")
}

// editorReady waits until the task's editor is open with its code in.
func editorReady(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, `!!document.querySelector(".editor-box")?.lanesEditor && !/Loading the code/.test(document.querySelector(".editor-note")?.textContent ?? "")`, 20*time.Second)
}

// setCode puts code in the editor as the page's own edits do, and waits
// until the page took it: its share link carries it.
func setCode(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	js, _ := json.Marshal(code)
	eval[bool](t, ctx, `(document.querySelector(".editor-box").lanesEditor.setDoc(`+string(js)+`), true)`)
	require.Equal(t, code, editorDoc(t, ctx))
	deadline := time.Now().Add(10 * time.Second)
	for {
		link := eval[string](t, ctx, `document.querySelector("#share-link")?.value ?? ""`)
		if strings.Contains(link, "#code=") && unfragment(t, link) == code {
			break
		}
		require.True(t, time.Now().Before(deadline), "the share link never carried the edited code")
		time.Sleep(20 * time.Millisecond)
	}
	assert.True(t, eval[bool](t, ctx, `document.querySelector("#share-link").value.endsWith(location.hash)`), "the page's URL carries it too")
}

func editorDoc(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.querySelector(".editor-box").lanesEditor.getDoc()`)
}

// fragment writes code as links carry it, with Go's compress/flate: not
// the page's encoder.
func fragment(code string) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write([]byte(code))
	w.Close()
	return "#code=" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// unfragment reads a link's code with Go's compress/flate.
func unfragment(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	f, err := url.ParseQuery(u.Fragment)
	require.NoError(t, err)
	data, err := base64.RawURLEncoding.DecodeString(f.Get("code"))
	require.NoError(t, err)
	code, err := io.ReadAll(flate.NewReader(bytes.NewReader(data)))
	require.NoError(t, err)
	return string(code)
}

// runTask clicks Run and waits until the task's run ends as want.
func runTask(t *testing.T, ctx context.Context, want string, timeout time.Duration) {
	t.Helper()
	// Every state the page takes is kept, however short (a cached
	// build's failure is over at once).
	eval[bool](t, ctx, `(() => {
		const root = document.querySelector("#lanes");
		window.states = [];
		window.stateWatch?.disconnect();
		window.stateWatch = new MutationObserver(() => window.states.push(root.dataset.state));
		window.stateWatch.observe(root, {attributes: true, attributeFilter: ["data-state"]});
		return true;
	})()`)
	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `window.states.includes("running") && document.querySelector("#lanes").dataset.state === "`+want+`"`, timeout)
}

// lastTasks is the last report's tasks, by strategy.
type reportTask struct {
	ID    int    `json:"id"`
	Lane  int    `json:"lane"`
	Value string `json:"value"`
	Error string `json:"error"`
}

func lastReport(t *testing.T, ctx context.Context) (demo string, runs map[string][]reportTask, results map[string]string) {
	t.Helper()
	var rep struct {
		Demo string `json:"demo"`
		Runs []struct {
			Strategy string       `json:"strategy"`
			Result   string       `json:"result"`
			Tasks    []reportTask `json:"tasks"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(eval[string](t, ctx, `window.lanesTest.lastReport()`)), &rep))
	runs, results = map[string][]reportTask{}, map[string]string{}
	for _, r := range rep.Runs {
		runs[r.Strategy], results[r.Strategy] = r.Tasks, r.Result
	}
	return rep.Demo, runs, results
}

// TestTaskSumOfSquares runs a learner's sum of squares under every
// strategy of the task demo, in Web Workers of its own module: the exact
// answer each time, and lanes drawn.
func TestTaskSumOfSquares(t *testing.T) {
	warmBuild(t)
	strategies := "sequential,pool,goroutines,semaphore,workers,partition,chunked"
	ctx := page(t)
	open(t, ctx, "/?demo=task&tasks=8&workers=2&strategy="+strategies+fragment(sumsqTask))
	editorReady(t, ctx)
	assert.Equal(t, sumsqTask, editorDoc(t, ctx))
	assert.Equal(t, "", eval[string](t, ctx, `document.querySelector("#lanes").dataset.state ?? ""`), "a link's code waits for a click")
	runTask(t, ctx, "done", 2*time.Minute)
	want := sumOfSquares(sumsqSize)
	got := finished(t, ctx)
	require.Len(t, got, 7)
	for _, s := range strings.Split(strategies, ",") {
		assert.Equal(t, want, got[s].Result, "%s: %+v", s, got[s])
		assert.Empty(t, got[s].Error, s)
		assert.Positive(t, got[s].Bars, "%s: lanes drawn", s)
	}
	demo, _, results := lastReport(t, ctx)
	assert.Equal(t, "task", demo)
	assert.Equal(t, want, results["workers"])
	// The task ran on its own module's workers, none on the page.
	assert.Positive(t, eval[int](t, ctx, `window.lanesTest.taskPoolStatus().then(s => s.size)`))
}

// TestTaskPanicFailsAlone: a task that panics fails with the panic's
// text; the others deliver their values, in one worker and over the pool.
func TestTaskPanicFailsAlone(t *testing.T) {
	warmBuild(t)
	ctx := page(t)
	open(t, ctx, "/?demo=task&tasks=5&strategy=sequential,goroutines,workers"+fragment(panicTask))
	editorReady(t, ctx)
	runTask(t, ctx, "done", time.Minute)
	_, runs, _ := lastReport(t, ctx)
	require.Len(t, runs, 3)
	for s, tasks := range runs {
		require.Len(t, tasks, 5, s)
		for _, task := range tasks {
			if task.ID == 2 {
				assert.Contains(t, task.Error, "panic: task 2 is broken", s)
				assert.Empty(t, task.Value, s)
			} else {
				assert.Empty(t, task.Error, "%s task %d", s, task.ID)
				assert.Equal(t, fmt.Sprint(task.ID), task.Value, "%s task %d", s, task.ID)
			}
		}
	}
}

// TestTaskForeverStoppedByStop: a task that never returns, nor looks at
// ctx, is stopped by Stop, in one worker and over the pool; the pool is
// whole and idle again, and the next run works.
func TestTaskForeverStoppedByStop(t *testing.T) {
	warmBuild(t)
	for _, strategy := range []string{"sequential", "workers"} {
		t.Run(strategy, func(t *testing.T) {
			ctx := page(t)
			open(t, ctx, "/?demo=task&tasks=8&workers=2&strategy="+strategy+fragment(foreverTask))
			editorReady(t, ctx)
			do(t, ctx, chromedp.Click("#run"))
			waitFor(t, ctx, `!!document.querySelector('.run:not([data-final])[data-strategy="`+strategy+`"]')`, time.Minute)
			waitPoolOf(t, ctx, "taskPoolStatus", `s.busy > 0`, time.Minute)
			time.Sleep(500 * time.Millisecond)
			do(t, ctx, chromedp.Click("#stop"))
			// The task never ends by itself: any bound tells a Stop that
			// works; the stopped workers' replacements start their module.
			waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "stopped"`, 30*time.Second)
			waitPoolOf(t, ctx, "taskPoolStatus", `s.ready === s.size && s.busy === 0 && s.size >= 2`, time.Minute)
			got := finished(t, ctx)
			assert.True(t, got[strategy].Partial, "%+v", got)

			// The same module (built once), fewer tasks: it returns.
			setKnob(t, ctx, "tasks", "4")
			runTask(t, ctx, "done", time.Minute)
			assert.Equal(t, "14", finished(t, ctx)[strategy].Result)
		})
	}
}

// waitPoolOf is waitPool for another of the tests' hooks.
func waitPoolOf(t *testing.T, ctx context.Context, hook, cond string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if eval[bool](t, ctx, `window.lanesTest.`+hook+`().then(s => !!(`+cond+`), () => false)`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: waiting for %s: %s", hook, cond, eval[string](t, ctx, `window.lanesTest.`+hook+`().then(s => JSON.stringify(s), e => String(e))`))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTaskDiagnosticsOnTheirLine: a source that does not build fails the
// run, its diagnostic listed and marked in the editor on its line, over
// the word it names (the compiler's byte column turned into characters).
func TestTaskDiagnosticsOnTheirLine(t *testing.T) {
	warmBuild(t)
	ctx := page(t)
	open(t, ctx, "/?demo=task&tasks=2&strategy=sequential"+fragment(brokenTask))
	editorReady(t, ctx)
	runTask(t, ctx, "failed", time.Minute)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector(".build-error").textContent`), "line 7:22: undefined: y")
	waitFor(t, ctx, `document.querySelectorAll(".cm-lintRange-error").length > 0`, 5*time.Second)
	type mark struct {
		Line int    `json:"line"`
		Text string `json:"text"`
	}
	marks := eval[[]mark](t, ctx, `Array.from(document.querySelectorAll(".cm-lintRange-error")).map(m => {
		const line = m.closest(".cm-line");
		return {line: Array.from(line.parentNode.querySelectorAll(":scope > .cm-line")).indexOf(line) + 1, text: m.textContent};
	})`)
	assert.Equal(t, []mark{{Line: 7, Text: "y"}}, marks)

	// Fixed, it builds, and the marks go.
	setCode(t, ctx, strings.Replace(brokenTask, `+ y`, `+ "y"`, 1))
	runTask(t, ctx, "done", time.Minute)
	assert.Zero(t, eval[int](t, ctx, `document.querySelectorAll(".cm-lintRange-error").length`))
	assert.False(t, eval[bool](t, ctx, `!!document.querySelector(".build-error")`))
}

// TestTaskShareLinkRoundTrip: "Edit" on a demo opens its starting code;
// an edit goes into the page's URL and share link, in the fragment only;
// the link opens the same code in a new page, which does not run it —
// not even with autorun=1 — until Run is pressed.
func TestTaskShareLinkRoundTrip(t *testing.T) {
	warmBuild(t)
	resp, err := http.Get(base + "/build/starter/cpu-sumsq.go")
	require.NoError(t, err)
	starter, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,workers&workers=2")
	waitFor(t, ctx, `!!document.querySelector("#edit")`, 20*time.Second)
	const editorLoads = `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/editor.js")).map(e => new URL(e.name).pathname)`
	assert.Empty(t, eval[[]string](t, ctx, editorLoads), "a page that does not edit loads no editor")
	do(t, ctx, chromedp.Click("#edit"))
	editorReady(t, ctx)
	loads := eval[[]string](t, ctx, editorLoads)
	require.Len(t, loads, 1)
	assert.Regexp(t, `^/h/[0-9a-f]{16}/editor\.js$`, loads[0], "at its immutable URL")
	assert.Equal(t, string(starter), editorDoc(t, ctx), "the demo's starting code")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#editor-title").textContent`), "Sum of squares")

	code := strings.Replace(sumsqTask, "// Task adds up", "// A shared task (ünïcode, & = # + %) adds up", 1)
	setCode(t, ctx, code)
	link := eval[string](t, ctx, `document.querySelector("#share-link").value`)
	assert.True(t, strings.HasPrefix(link, base+"/?"), link)
	u, err := url.Parse(link)
	require.NoError(t, err)
	assert.Equal(t, "task", u.Query().Get("demo"))
	assert.NotContains(t, u.RawQuery, "code")
	assert.Equal(t, code, unfragment(t, link), "raw DEFLATE in base64url, as Go reads it")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("#embed-snippet").value`), "/embed?"+u.RawQuery+"#"+u.Fragment)

	// Open the link, asking for autorun.
	other := page(t)
	do(t, other, navigate(base+"/?"+u.RawQuery+"&autorun=1#"+u.Fragment))
	waitFor(t, other, `performance.getEntriesByName("lanes app ready").length > 0`, 20*time.Second)
	editorReady(t, other)
	assert.Equal(t, code, editorDoc(t, other))
	assert.Contains(t, eval[string](t, other, `document.querySelector(".notice")?.textContent ?? ""`), "only when you press Run")
	assert.Contains(t, eval[string](t, other, `document.querySelector(".editor-note").textContent`), "came with the link")
	time.Sleep(2 * time.Second)
	assert.Equal(t, "", eval[string](t, other, `document.querySelector("#lanes").dataset.state ?? ""`), "not run without a click")
	assert.Zero(t, eval[int](t, other, `performance.getEntriesByName("lanes run").length`))
	runTask(t, other, "done", time.Minute)
	want := sumOfSquares(sumsqSize)
	for s, r := range finished(t, other) {
		assert.Equal(t, want, r.Result, s)
	}
}

// TestTaskBadFragment: a link whose code cannot be read says so, shows
// the demo's own code and breaks nothing.
func TestTaskBadFragment(t *testing.T) {
	ctx := page(t)
	open(t, ctx, "/?demo=task&autorun=1#code=AAAA_not-deflate")
	editorReady(t, ctx)
	assert.Contains(t, eval[string](t, ctx, `document.querySelector(".notice").textContent`), "The link's code could not be read")
	assert.Contains(t, editorDoc(t, ctx), "package task")
	assert.Equal(t, "", eval[string](t, ctx, `document.querySelector("#lanes").dataset.state ?? ""`))
}

// TestTaskKeyboardOnly uses the keyboard alone: Tab to "Edit", Enter, the
// editor has the focus; a program typed over the code, Ctrl+Enter builds
// and runs it; Esc then Tab leaves the editor. It also times Ctrl+Enter
// to the lanes shown after a one-line edit.
func TestTaskKeyboardOnly(t *testing.T) {
	warmBuild(t)
	ctx := page(t)
	open(t, ctx, "/?demo=cpu-sumsq&strategy=sequential,workers&workers=2&tasks=3")
	waitFor(t, ctx, `!!document.querySelector("#edit")`, 20*time.Second)
	for i := 0; eval[string](t, ctx, `document.activeElement?.id ?? ""`) != "edit"; i++ {
		require.Less(t, i, 80, "Tab never reached Edit")
		do(t, ctx, chromedp.KeyEvent("\t"))
	}
	do(t, ctx, chromedp.KeyEvent("\r"))
	editorReady(t, ctx)
	waitFor(t, ctx, `!!document.activeElement?.closest(".cm-editor")`, 5*time.Second)

	do(t, ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	program := `package task; import ("context"; "strconv"); func Task(ctx context.Context, i, n int) (string, error) { return strconv.Itoa(i + 1), nil }`
	do(t, ctx, chromedp.KeyEvent(program))
	require.Equal(t, program, editorDoc(t, ctx))
	do(t, ctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, time.Minute)
	assert.Equal(t, "6", finished(t, ctx)["workers"].Result, "1 + 2 + 3")

	// A one-line edit, never built before: Ctrl+Enter to the first
	// finished run's lanes drawn.
	do(t, ctx, chromedp.KeyEvent(kb.End))
	do(t, ctx, chromedp.KeyEvent(fmt.Sprintf(" // edited %d", time.Now().UnixNano())))
	eval[bool](t, ctx, `(window.runsBefore = performance.getEntriesByName("lanes run").length,
		document.addEventListener("keydown", e => { if (e.key === "Enter" && e.ctrlKey) window.runKeyAt = performance.now(); }, {capture: true, once: true}), true)`)
	do(t, ctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	ms := eval[float64](t, ctx, `new Promise(resolve => {
		const check = () => {
			if (performance.getEntriesByName("lanes run").length > window.runsBefore && document.querySelector(".run[data-final] .tl-stage[data-bars]")) resolve(performance.now() - window.runKeyAt);
			else setTimeout(check, 2);
		};
		check();
	})`)
	t.Logf("a one-line edit: Ctrl+Enter to its first lanes drawn in %.0f ms", ms)
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, time.Minute)
	assert.Equal(t, "6", finished(t, ctx)["workers"].Result)

	// Esc, then Tab, leaves the editor: no trap.
	do(t, ctx, chromedp.Focus(".cm-content"))
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	do(t, ctx, chromedp.KeyEvent("\t"))
	assert.False(t, eval[bool](t, ctx, `!!document.activeElement?.closest(".cm-editor")`), "Esc then Tab leaves the editor")
	assert.NotEqual(t, "BODY", eval[string](t, ctx, `document.activeElement.tagName`), "to the next control")
	assert.Equal(t, "done", eval[string](t, ctx, `document.querySelector("#lanes").dataset.state`), "Esc in the editor is the editor's")
}

// TestTaskEmbedFromAnotherOrigin: a tutorial on another origin embeds its
// own task with autorun=1: the embed builds and runs it, and posts a
// correct report.
func TestTaskEmbedFromAnotherOrigin(t *testing.T) {
	warmBuild(t)
	embed := base + "/embed?demo=task&strategy=sequential,workers&workers=2&tasks=4&autorun=1&controls=0" + fragment(sumsqTask)
	parent := serveParent(t, embed)
	ctx := page(t)
	do(t, ctx, navigate(parent))
	waitFor(t, ctx, `count("report") === 1 || count("error") > 0`, 2*time.Minute)
	require.Zero(t, eval[int](t, ctx, `count("error")`), "%v", eval[any](t, ctx, `last("error")`))
	rep := eval[reported](t, ctx, `last("report").report`)
	assert.Equal(t, "lanes.report/v1", rep.Schema)
	assert.Equal(t, "task", rep.Demo)
	want := sumOfSquares(sumsqSize)
	assert.Equal(t, map[string]string{"sequential": want, "workers": want}, rep.results())
	for _, r := range rep.Runs {
		assert.False(t, r.Partial)
	}
}

// TestTaskBuildOff: on a server with --build=off the editor shows the
// starting code read-only, says why, and Run runs nothing.
func TestTaskBuildOff(t *testing.T) {
	addr, stop := serveOther(t, "--build=off")
	defer stop()
	ctx := page(t)
	do(t, ctx, navigate("http://"+addr+"/?demo=task&strategy=sequential"))
	waitFor(t, ctx, `performance.getEntriesByName("lanes app ready").length > 0`, 20*time.Second)
	editorReady(t, ctx)
	waitFor(t, ctx, `document.querySelector(".cm-content").getAttribute("contenteditable") === "false"`, 5*time.Second)
	assert.Contains(t, editorDoc(t, ctx), "package task")
	assert.Contains(t, eval[string](t, ctx, `document.querySelector(".editor-note").textContent`), "--build=off")
	do(t, ctx, chromedp.Click("#run"))
	waitFor(t, ctx, `/cannot run here/.test(document.querySelector(".build-error")?.textContent ?? "")`, 5*time.Second)
	assert.Equal(t, "", eval[string](t, ctx, `document.querySelector("#lanes").dataset.state ?? ""`))
}

// serveOther runs a second bin/lanes serve with the extra flags, and
// returns its address.
func serveOther(t *testing.T, flags ...string) (string, func()) {
	t.Helper()
	port, err := freePort()
	require.NoError(t, err)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	log, err := os.Create(filepath.Join(root, "test-output", "server-"+strings.TrimLeft(strings.Join(flags, ""), "-")+".log"))
	require.NoError(t, err)
	cmd := exec.Command(filepath.Join(root, "bin", "lanes"), append([]string{"serve", "--addr", addr, "--test-hooks"}, flags...)...)
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		log.Close()
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return addr, stop
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("a second server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTaskScreenshots writes the editor after a failed build and after a
// run, light, dark and 375 px wide, to test-output/editor-*.png for a
// person to look at; nothing spills sideways at 375 px.
func TestTaskScreenshots(t *testing.T) {
	warmBuild(t)
	out := filepath.Join(root, "test-output")
	require.NoError(t, os.MkdirAll(out, 0o755))
	for _, tt := range []struct {
		name  string
		width int64
		query string
		code  string
		state string
	}{
		{"light", 1280, "theme=light", sumsqTask, "done"},
		{"dark", 1280, "theme=dark", brokenTask, "failed"},
		{"375px", 375, "", brokenTask, "failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := page(t)
			do(t, ctx, chromedp.EmulateViewport(tt.width, 900, chromedp.EmulateScale(1)))
			open(t, ctx, "/?demo=task&tasks=8&strategy=sequential,workers&"+tt.query+fragment(tt.code))
			editorReady(t, ctx)
			runTask(t, ctx, tt.state, time.Minute)
			if tt.state == "done" {
				waitFor(t, ctx, drawn, 10*time.Second)
			}
			if tt.width < 400 {
				assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), int(tt.width), "the page scrolls sideways")
			}
			png := screenshot(t, ctx, chromedp.FullScreenshot(100))
			require.NoError(t, os.WriteFile(filepath.Join(out, "editor-"+tt.name+".png"), png, 0o644))
		})
	}
}
