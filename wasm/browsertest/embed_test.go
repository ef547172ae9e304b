//go:build !js

package browsertest

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parentPage is a tutorial page on another origin that embeds Lanes and
// keeps every message it gets from it in window.msgs.
const parentPage = `<!doctype html><html><head><meta charset="utf-8"><title>A tutorial</title></head><body>
<h1>A tutorial that embeds Lanes</h1>
<iframe id="lanes" src="%s" width="800" height="400" title="Lanes"></iframe>
<script>
window.msgs = [];
window.addEventListener("message", (e) => {
  if (e.source !== document.getElementById("lanes").contentWindow) return;
  window.msgs.push({origin: e.origin, data: e.data, at: performance.now()});
});
window.send = (m) => document.getElementById("lanes").contentWindow.postMessage(m, "*");
window.count = (type) => window.msgs.filter(m => m.data && m.data.type === type).length;
window.last = (type) => window.msgs.filter(m => m.data && m.data.type === type).pop()?.data;
</script></body></html>`

// serveParent serves parentPage on a second loopback server, addressed as
// localhost so that its origin differs from the app's 127.0.0.1.
func serveParent(t testing.TB, embedURL string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, parentPage, embedURL)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return fmt.Sprintf("http://localhost:%d/", l.Addr().(*net.TCPAddr).Port)
}

// A results view of a report message.
type reported struct {
	Schema string `json:"schema"`
	Demo   string `json:"demo"`
	Runs   []struct {
		Strategy string `json:"strategy"`
		Result   string `json:"result"`
		Partial  bool   `json:"partial"`
	} `json:"runs"`
}

func (r reported) results() map[string]string {
	m := map[string]string{}
	for _, run := range r.Runs {
		m[run.Strategy] = run.Result
	}
	return m
}

// TestEmbedProtocol drives the embed from a parent on another origin:
// autorun=1 reports, a run message reruns with new params, a malformed
// message gets an error and changes nothing, stop stops.
func TestEmbedProtocol(t *testing.T) {
	embed := base + "/embed?demo=cpu-sumsq&strategy=sequential,workers&workers=2&size=100000000&autorun=1&controls=0"
	parent := serveParent(t, embed)
	ctx := page(t)
	do(t, ctx, navigate(parent))

	// autorun=1: ready, progress, resize and a correct report.
	waitFor(t, ctx, `count("report") === 1`, 60*time.Second)
	assert.Positive(t, eval[int](t, ctx, `count("ready")`), "ready")
	assert.Positive(t, eval[int](t, ctx, `count("progress")`), "progress")
	assert.Positive(t, eval[int](t, ctx, `msgs.filter(m => m.data.type === "resize" && m.data.height > 0).length`), "resize")
	assert.True(t, eval[bool](t, ctx, `msgs.every(m => m.data.source === "lanes")`), "every message has source lanes")
	appOrigin, _ := url.Parse(base)
	assert.Equal(t, "http://"+appOrigin.Host, eval[string](t, ctx, `msgs[0].origin`))
	rep := eval[reported](t, ctx, `last("report").report`)
	assert.Equal(t, "lanes.report/v1", rep.Schema)
	assert.Equal(t, map[string]string{"sequential": "333333328333333350000000", "workers": "333333328333333350000000"}, rep.results())
	type progress struct{ Done, Total int }
	p := eval[progress](t, ctx, `last("progress")`)
	assert.Equal(t, p.Total, p.Done)
	assert.Positive(t, p.Total)

	// Malformed messages: an error each, and nothing runs.
	for _, bad := range []string{
		`"just a string"`,
		`{type: "run", params: {size: 5}}`,
		`{source: "lanes", type: "explode"}`,
		`{source: "lanes", type: "run", params: {size: -5}}`,
		`{source: "lanes", type: "run", params: {demo: "nope"}}`,
		`{source: "lanes", type: "run", params: {size: {deep: 1}}}`,
		// Hostile values: JSON.stringify throws on each.
		`{source: "lanes", type: "run", params: {size: 10n}}`,
		`(() => { const m = {source: "lanes", type: "run", params: {}}; m.params.self = m; return m; })()`,
		`{source: "lanes", type: "run", params: {demo: "x".repeat(1 << 20)}}`,
		`{source: "lanes", type: "run", params: {demo: "cpu-sumsq", theme: "purple"}}`,
	} {
		before := eval[int](t, ctx, `count("error")`)
		eval[bool](t, ctx, `send(`+bad+`), true`)
		waitFor(t, ctx, fmt.Sprintf(`count("error") > %d`, before), 5*time.Second)
		t.Logf("%s → %s", bad, eval[string](t, ctx, `last("error").message`))
	}
	time.Sleep(300 * time.Millisecond)
	assert.Equal(t, 1, eval[int](t, ctx, `count("report")`), "a malformed message started a run")

	// A run message with new params, and the page's own keys as the URL
	// has them: the embed still answers after every hostile message.
	eval[bool](t, ctx, `send({source: "lanes", type: "run", params: {demo: "cpu-primes", strategy: "sequential,workers", size: 1000000, autorun: 1, theme: "dark"}}), true`)
	waitFor(t, ctx, `count("report") === 2`, 60*time.Second)
	rep = eval[reported](t, ctx, `last("report").report`)
	assert.Equal(t, "cpu-primes", rep.Demo)
	assert.Equal(t, map[string]string{"sequential": "78498", "workers": "78498"}, rep.results())

	// stop: a long run ends early, reported as partial. One worker makes it
	// seconds longer than the test's steps from its first progress to the
	// stop, however busy the machine.
	eval[bool](t, ctx, `send({source: "lanes", type: "run", params: {demo: "cpu-sumsq", strategy: "workers", workers: 1, size: "4294967296", tasks: 64}}), true`)
	waitFor(t, ctx, `msgs.filter(m => m.data.type === "progress" && m.data.done > 0 && m.data.done < m.data.total).length > 0 || count("report") > 2`, 30*time.Second)
	eval[bool](t, ctx, `send({source: "lanes", type: "stop"}), true`)
	// Stopped or not, a report comes (the run is seconds long): partial
	// says which.
	waitFor(t, ctx, `count("report") === 3`, 30*time.Second)
	rep = eval[reported](t, ctx, `last("report").report`)
	require.Len(t, rep.Runs, 1)
	assert.True(t, rep.Runs[0].Partial, "stopped run is partial")
}
