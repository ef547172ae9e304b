package build_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/starter"
	"lanes/server/build"
	"lanes/server/module"
)

// The tests share one service and its directory: its start lays out
// Lanes' source and makes a first build. Its build cache is the go
// command's own, which the repository's builds keep warm.
var (
	shared     *build.Service
	sharedDir  string
	sharedErr  error
	sharedOnce sync.Once
)

// goCache is the go command's build cache; without a go command the test
// fails, saying how to install one.
func goCache(t testing.TB) string {
	t.Helper()
	goCmd, err := module.GoCommand()
	require.NoError(t, err)
	out, err := exec.Command(goCmd, "env", "GOCACHE").Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// service returns the shared service, ready, behind an HTTP server.
func service(t testing.TB) (*build.Service, *httptest.Server) {
	t.Helper()
	cache := goCache(t)
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "lanes-build-test-")
		if sharedErr != nil {
			return
		}
		shared = build.New(build.Options{Dir: sharedDir, GoCache: cache, Timeout: 2 * time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if st := shared.Ready(ctx); st != build.StateReady {
			sharedErr = fmt.Errorf("the build service is %s: %s", st, capability(t, shared).Reason)
		}
	})
	require.NoError(t, sharedErr)
	srv := httptest.NewServer(shared.Handler())
	t.Cleanup(srv.Close)
	return shared, srv
}

func capability(t testing.TB, s *build.Service) build.Capability {
	t.Helper()
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/build", nil))
	var c build.Capability
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &c))
	return c
}

// reply is an answer of POST /api/build.
type reply struct {
	Wasm        string              `json:"wasm"`
	Exec        string              `json:"exec"`
	Cached      bool                `json:"cached"`
	Error       string              `json:"error"`
	Diagnostics []module.Diagnostic `json:"diagnostics"`
	status      int
	header      http.Header
}

// post asks srv to build source.
func post(t testing.TB, srv *httptest.Server, source string) reply {
	t.Helper()
	body, err := json.Marshal(map[string]string{"source": source})
	require.NoError(t, err)
	return postRaw(t, srv, "application/json", body)
}

func postRaw(t testing.TB, srv *httptest.Server, ctype string, body []byte) reply {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+"/api/build", ctype, bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var r reply
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	r.status, r.header = resp.StatusCode, resp.Header
	if resp.StatusCode != http.StatusOK {
		assert.NotEmpty(t, r.Error, "every refusal says why")
	}
	return r
}

func get(t testing.TB, srv *httptest.Server, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// No transparent gzip: the test looks at what was sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

// TestBuildAndServe builds a task, serves its module in every encoding at
// an immutable URL, and answers the same source from the cache.
func TestBuildAndServe(t *testing.T) {
	_, srv := service(t)
	src := readFile(t, "testdata/sumsq.go") + "\n// " + t.Name() + time.Now().String() + "\n"
	r := post(t, srv, src)
	require.Equal(t, http.StatusOK, r.status, r.Error)
	assert.Regexp(t, `^/build/[0-9a-f]{32}\.wasm$`, r.Wasm)
	assert.Regexp(t, `^/build/wasm_exec\.[0-9a-f]{16}\.js$`, r.Exec)
	assert.False(t, r.Cached)

	resp, plain := get(t, srv, r.Wasm)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	require.True(t, bytes.HasPrefix(plain, []byte("\x00asm")), "a wasm module")

	resp, br := get(t, srv, r.Wasm, "Accept-Encoding", "gzip, deflate, br")
	assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
	unbr, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	require.NoError(t, err)
	assert.Equal(t, plain, unbr)
	t.Logf("module: %d bytes, %d brotli", len(plain), len(br))

	resp, gz := get(t, srv, r.Wasm, "Accept-Encoding", "gzip")
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	ungz, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, plain, ungz)

	resp, _ = get(t, srv, r.Wasm, "Accept-Encoding", "br", "If-None-Match", resp.Header.Get("ETag"))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the gzip ETag is not the brotli form's")
	resp, _ = get(t, srv, r.Wasm, "Accept-Encoding", "br", "If-None-Match", resp.Header.Get("ETag"))
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	resp, js := get(t, srv, r.Exec)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
	goCmd, _ := module.GoCommand()
	goroot, err := exec.Command(goCmd, "env", "GOROOT").Output()
	require.NoError(t, err)
	assert.Equal(t, readFile(t, filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")), string(js))

	again := post(t, srv, src)
	assert.Equal(t, http.StatusOK, again.status)
	assert.Equal(t, r.Wasm, again.Wasm)
	assert.True(t, again.Cached)

	for _, path := range []string{"/build/0123.wasm", "/build/" + strings.Repeat("0", 32) + ".wasm", "/build/wasm_exec.js", "/build/x" + r.Wasm} {
		resp, _ := get(t, srv, path)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
}

// TestEveryStarterBuilds: the code the editor starts from passes the
// checks and builds.
func TestEveryStarterBuilds(t *testing.T) {
	_, srv := service(t)
	for _, st := range starter.All() {
		t.Run(st.Demo, func(t *testing.T) {
			r := post(t, srv, st.Code)
			assert.Equal(t, http.StatusOK, r.status, "%s %v", r.Error, r.Diagnostics)
		})
	}
}

// TestCapabilityAndStarters: what the page reads before it opens the
// editor.
func TestCapabilityAndStarters(t *testing.T) {
	s, srv := service(t)
	c := capability(t, s)
	assert.True(t, c.Enabled)
	assert.Equal(t, build.StateReady, c.State)
	assert.Regexp(t, `^go1\.`, c.Go)
	assert.EqualValues(t, build.DefaultMaxSource, c.MaxSource)
	assert.Contains(t, c.Imports, "math/big")
	assert.NotContains(t, c.Imports, "os")
	assert.Equal(t, module.Signature, c.Signature)
	require.Len(t, c.Starters, len(starter.All()))
	for _, st := range c.Starters {
		resp, code := get(t, srv, st.URL)
		assert.Equal(t, http.StatusOK, resp.StatusCode, st.URL)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		want, _ := starter.For(st.Demo)
		assert.Equal(t, want.Code, string(code))
		assert.Equal(t, want.Tasks, st.Tasks)
	}
	for _, path := range []string{"/build/starter/race.go", "/build/starter/cpu-sumsq", "/build/starter/..go"} {
		resp, _ := get(t, srv, path)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
}

// diag is a diagnostic expected: its place, and words of its message.
type diag struct {
	line, column int
	says         string
}

// TestRefusals: what the service will not build, each refused on the
// source's own lines.
func TestRefusals(t *testing.T) {
	_, srv := service(t)
	task := func(imports, rest string) string {
		return "package task\n\nimport (\n\t\"context\"\n" + imports + ")\n\n" + rest +
			"func Task(ctx context.Context, i, n int) (string, error) {\n\treturn \"1\", nil\n}\n"
	}
	cases := []struct {
		name, src string
		want      []diag
	}{
		{"os/exec", task("\t\"os/exec\"\n", "var _ = exec.Command\n\n"), []diag{{5, 2, `import "os/exec": not among the imports`}}},
		{"os", task("\t\"os\"\n", "var _ = os.Getenv\n\n"), []diag{{5, 2, "no files, processes or environment"}}},
		{"net/http", task("\t\"net/http\"\n", "var _ = http.Get\n\n"), []diag{{5, 2, "a task has no network"}}},
		{"unsafe", task("\t\"unsafe\"\n", "var _ = unsafe.Sizeof(0)\n\n"), []diag{{5, 2, `import "unsafe"`}}},
		{"syscall/js", task("\t\"syscall/js\"\n", "var _ = js.Global\n\n"), []diag{{5, 2, `import "syscall/js"`}}},
		{"runtime/debug", task("\t\"runtime/debug\"\n", "var _ = debug.SetGCPercent\n\n"), []diag{{5, 2, `import "runtime/debug"`}}},
		{"plugin", task("\t\"plugin\"\n", "var _ = plugin.Open\n\n"), []diag{{5, 2, `import "plugin"`}}},
		{"a module", task("\t\"github.com/evil/pkg\"\n", "var _ = pkg.X\n\n"), []diag{{5, 2, "no module download"}}},
		{"embed", task("\t_ \"embed\"\n", "//go:embed task.go\nvar self string\n\n"), []diag{{5, 4, `import "embed"`}, {8, 1, "//go:embed: this directive is not allowed"}}},
		{"go:embed outside the source", task("", "//go:embed /etc/passwd\nvar secret string\n\n"), []diag{{7, 1, "//go:embed"}}},
		{"go:linkname", task("", "//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n\n"), []diag{{7, 1, "//go:linkname"}}},
		{"go:wasmimport", task("", "//go:wasmimport gojs syscall/js.valueCall\nfunc call()\n\n"), []diag{{7, 1, "//go:wasmimport"}}},
		{"go:build", "//go:build ignore\n\n" + task("", ""), []diag{{1, 1, "//go:build"}}},
		{"line directive", task("", "//line /etc/passwd:1\nvar x = 1\n\n"), []diag{{7, 1, "//line"}}},
		{"cgo", "package task\n\n/*\n#cgo LDFLAGS: -lm\n#include <math.h>\n*/\nimport \"C\"\n\nimport \"context\"\n\nfunc Task(ctx context.Context, i, n int) (string, error) { return \"1\", nil }\n",
			[]diag{{7, 8, `import "C": cgo is off`}}},
		{"package main", strings.Replace(task("", ""), "package task", "package main", 1), []diag{{1, 9, "must be package task"}}},
		{"no Task", "package task\n\nfunc task() {}\n", []diag{{0, 0, "no func Task"}}},
		{"syntax", "package task\n\nfunc Task(ctx context.Context {\n", []diag{{3, 31, "missing ','"}}},
		{"type errors", readFile(t, "../taskrun/testdata/broken.go"), []diag{{6, 2, "declared and not used: x"}, {7, 9, "undefined: y"}}},
		{"Task's type", readFile(t, "../taskrun/testdata/signature.go"), []diag{{6, 6, "Task must be " + module.Signature}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, srv, c.src)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, "%+v", r)
			require.Len(t, r.Diagnostics, len(c.want), "%+v", r.Diagnostics)
			for i, w := range c.want {
				d := r.Diagnostics[i]
				assert.Equal(t, w.line, d.Line, d.Message)
				assert.Equal(t, w.column, d.Column, d.Message)
				assert.Contains(t, d.Message, w.says)
			}
			assert.Empty(t, r.Wasm)
		})
	}
}

// TestBadRequests: what is not a build request is refused before any
// build, with a clear status.
func TestBadRequests(t *testing.T) {
	_, srv := service(t)
	big := strings.Repeat("// a comment that makes the source large\n", 10<<20/42)
	body, _ := json.Marshal(map[string]string{"source": big})
	start := time.Now()
	r := postRaw(t, srv, "application/json", body)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.Error, "over 65536 bytes")
	assert.Less(t, time.Since(start), 30*time.Second)

	just := "package task\n" + strings.Repeat("/"+"/ x\n", build.DefaultMaxSource/5)
	r = post(t, srv, just[:build.DefaultMaxSource+1])
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.Error, "over 65536")

	for _, c := range []struct {
		name, ctype, body string
		status            int
		says              string
	}{
		{"form", "application/x-www-form-urlencoded", "source=x", http.StatusUnsupportedMediaType, "Content-Type: application/json"},
		{"not JSON", "application/json", "package task", http.StatusBadRequest, "want {\"source\""},
		{"no source", "application/json", `{}`, http.StatusBadRequest, "want {\"source\""},
		{"other fields", "application/json", `{"source":"x","go":"1.0"}`, http.StatusBadRequest, "unknown field"},
		{"two objects", "application/json", `{"source":"x"}{"source":"y"}`, http.StatusBadRequest, "one JSON object"},
		{"a number", "application/json", `{"source":5}`, http.StatusBadRequest, "want {\"source\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := postRaw(t, srv, c.ctype, []byte(c.body))
			assert.Equal(t, c.status, r.status)
			assert.Contains(t, r.Error, c.says)
		})
	}
	req, _ := http.NewRequest("PUT", srv.URL+"/api/build", nil)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, "GET, POST", resp.Header.Get("Allow"))
}

// TestTwentyAtOnce: one client asking for 20 builds at once gets one
// under way and a 429 for the others, and the service goes on serving.
func TestTwentyAtOnce(t *testing.T) {
	s, srv := service(t)
	base := readFile(t, "testdata/sumsq.go")
	replies := make([]reply, 20)
	var wg sync.WaitGroup
	stamp := time.Now().UnixNano()
	for i := range replies {
		wg.Go(func() { replies[i] = post(t, srv, fmt.Sprintf("%s\n// build %d of %d\n", base, i, stamp)) })
	}
	wg.Wait()
	counts := map[int]int{}
	for _, r := range replies {
		counts[r.status]++
		if r.status == http.StatusTooManyRequests {
			assert.Equal(t, "1", r.header.Get("Retry-After"))
			assert.Contains(t, r.Error, "one at a time")
		}
	}
	assert.Equal(t, 20, counts[http.StatusOK]+counts[http.StatusTooManyRequests], "%v", counts)
	assert.GreaterOrEqual(t, counts[http.StatusOK], 1, "%v", counts)
	assert.GreaterOrEqual(t, counts[http.StatusTooManyRequests], 10, "%v", counts)
	assert.True(t, capability(t, s).Enabled)
	r := post(t, srv, fmt.Sprintf("%s\n// after %d\n", base, stamp))
	assert.Equal(t, http.StatusOK, r.status, r.Error)
}

// TestDiagnosticsAreKept: a source that does not build gets the same
// answer again, from what was kept.
func TestDiagnosticsAreKept(t *testing.T) {
	_, srv := service(t)
	src := readFile(t, "../taskrun/testdata/broken.go") + "// " + time.Now().String() + "\n"
	first := post(t, srv, src)
	require.Equal(t, http.StatusUnprocessableEntity, first.status)
	second := post(t, srv, src)
	assert.Equal(t, first.Error, second.Error)
	assert.Equal(t, first.Diagnostics, second.Diagnostics)
}
