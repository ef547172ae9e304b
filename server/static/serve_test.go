package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/assets"
)

// fixture is a site built from testdata: the page, scripts, a stylesheet,
// fake wasm, an icon in a folder, a dot file, and a precompressed brotli
// form of boot.js.
func fixture(t *testing.T) (fstest.MapFS, map[string][]byte) {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range []string{"index.html", "boot.js", "worker.js", "style.css"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		files[name] = b
	}
	files["app.wasm"] = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("wasm code "), 500)...)
	files["worker.wasm"] = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("worker "), 500)...)
	files["wasm_exec.js"] = bytes.Repeat([]byte("// wasm_exec\n"), 100)
	files["img/icon.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	files["tiny.txt"] = []byte("hi")
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b}
	}
	m[".keep"] = &fstest.MapFile{}
	m[".git/config"] = &fstest.MapFile{Data: []byte("secret")}
	m["boot.js.br"] = &fstest.MapFile{Data: brot(files["boot.js"])}
	m["tiny.txt.gz"] = &fstest.MapFile{Data: gz(t, []byte("a variant larger than the file itself"))}
	return m, files
}

func brot(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 5)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func newTestHandler(t *testing.T) (*Table, http.Handler, map[string][]byte) {
	t.Helper()
	m, files := fixture(t)
	tab, err := Load(m, LoadOptions{Precompressed: true})
	require.NoError(t, err)
	return tab, New(tab), files
}

func do(h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		t.Fatalf("encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return out
}

func TestContentTypes(t *testing.T) {
	_, h, _ := newTestHandler(t)
	for path, want := range map[string]string{
		"/":             "text/html; charset=utf-8",
		"/embed":        "text/html; charset=utf-8",
		"/index.html":   "text/html; charset=utf-8",
		"/app.wasm":     "application/wasm",
		"/worker.wasm":  "application/wasm",
		"/boot.js":      "text/javascript; charset=utf-8",
		"/wasm_exec.js": "text/javascript; charset=utf-8",
		"/style.css":    "text/css; charset=utf-8",
		"/img/icon.svg": "image/svg+xml",
	} {
		w := do(h, http.MethodGet, path)
		require.Equal(t, http.StatusOK, w.Code, path)
		assert.Equal(t, want, w.Header().Get("Content-Type"), path)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), path)
	}
}

func TestEncodings(t *testing.T) {
	_, h, files := newTestHandler(t)
	for _, tc := range []struct{ path, accept, want string }{
		{"/app.wasm", "", ""},
		{"/app.wasm", "gzip", "gzip"},
		{"/app.wasm", "gzip, deflate, br, zstd", "gzip"}, // no brotli form was built for it
		{"/boot.js", "gzip, deflate, br", "br"},
		{"/boot.js", "br;q=0, gzip", "gzip"},
		{"/boot.js", "br;q=0, gzip;q=0", ""},
		{"/boot.js", "*", "br"},
		{"/boot.js", "*;q=0", ""},
		{"/boot.js", "identity", ""},
		{"/boot.js", "BR", "br"},
		{"/", "gzip, br", "br"},
		{"/", "gzip", "gzip"},
		{"/tiny.txt", "gzip, br", ""}, // its .gz is larger, so not used
	} {
		t.Run(tc.path+" "+tc.accept, func(t *testing.T) {
			w := do(h, http.MethodGet, tc.path, "Accept-Encoding", tc.accept)
			require.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, tc.want, w.Header().Get("Content-Encoding"))
			assert.Equal(t, "Accept-Encoding", w.Header().Get("Vary"))
			name := strings.TrimPrefix(tc.path, "/")
			if tc.path == "/" {
				return // rewritten; compared in TestHashedURLs
			}
			assert.Equal(t, files[name], decode(t, tc.want, w.Body.Bytes()))
		})
	}
}

func TestPrecompressedFormIsServedAsIs(t *testing.T) {
	m, _ := fixture(t)
	tab, err := Load(m, LoadOptions{Precompressed: true})
	require.NoError(t, err)
	w := do(New(tab), http.MethodGet, "/boot.js", "Accept-Encoding", "br")
	assert.Equal(t, m["boot.js.br"].Data, w.Body.Bytes())
	w = do(New(tab), http.MethodGet, "/boot.js.br")
	assert.Equal(t, http.StatusNotFound, w.Code, "a variant is not a file of its own")
}

func TestETagsAnd304(t *testing.T) {
	_, h, _ := newTestHandler(t)
	for _, accept := range []string{"", "gzip", "br"} {
		w := do(h, http.MethodGet, "/boot.js", "Accept-Encoding", accept)
		etag := w.Header().Get("ETag")
		require.Regexp(t, `^"[0-9a-f]{16}(-gzip|-br)?"$`, etag)
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			w2 := do(h, http.MethodGet, "/boot.js", "Accept-Encoding", accept, "If-None-Match", inm)
			assert.Equal(t, http.StatusNotModified, w2.Code, inm)
			assert.Zero(t, w2.Body.Len())
			assert.Equal(t, etag, w2.Header().Get("ETag"))
			assert.Equal(t, "Accept-Encoding", w2.Header().Get("Vary"))
		}
		w3 := do(h, http.MethodGet, "/boot.js", "Accept-Encoding", accept, "If-None-Match", `"0000000000000000"`)
		assert.Equal(t, http.StatusOK, w3.Code)
	}
	plain := do(h, http.MethodGet, "/boot.js").Header().Get("ETag")
	br := do(h, http.MethodGet, "/boot.js", "Accept-Encoding", "br").Header().Get("ETag")
	assert.NotEqual(t, plain, br, "each encoding has its own ETag")
}

func TestCacheControl(t *testing.T) {
	tab, h, _ := newTestHandler(t)
	for _, path := range []string{"/", "/embed", "/index.html", "/boot.js", "/app.wasm"} {
		assert.Equal(t, "no-cache", do(h, http.MethodGet, path).Header().Get("Cache-Control"), path)
	}
	for _, name := range tab.Names() {
		hashed, ok := tab.Hashed(name)
		require.True(t, ok)
		w := do(h, http.MethodGet, hashed)
		require.Equal(t, http.StatusOK, w.Code, hashed)
		assert.Equal(t, "public, max-age=31536000, immutable", w.Header().Get("Cache-Control"), hashed)
	}
}

func TestHashedURLs(t *testing.T) {
	tab, h, files := newTestHandler(t)
	assert.Equal(t, []string{"app.wasm", "boot.js", "img/icon.svg", "index.html", "style.css", "tiny.txt", "wasm_exec.js", "worker.js", "worker.wasm"}, tab.Names())
	page := do(h, http.MethodGet, "/").Body.String()
	// Every quoted absolute path of another file now names its version…
	for _, name := range []string{"style.css", "img/icon.svg", "boot.js", "app.wasm", "worker.wasm", "wasm_exec.js", "worker.js"} {
		hashed, ok := tab.Hashed(name)
		require.True(t, ok)
		require.Regexp(t, `^/h/[0-9a-f]{16}/`+regexp.QuoteMeta(name)+`$`, hashed)
		assert.NotContains(t, page, `"/`+name+`"`)
		assert.NotContains(t, page, `'/`+name+`'`)
		assert.Contains(t, page, hashed)
		w := do(h, http.MethodGet, hashed)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, files[name], w.Body.Bytes())
	}
	// …and nothing else changed.
	assert.Contains(t, page, `href="/embed"`)
	assert.Contains(t, page, `href="/missing.js"`)
	assert.Contains(t, page, `"/boot.js is only text here`)
	want := string(files["index.html"])
	for _, name := range []string{"style.css", "img/icon.svg", "boot.js", "app.wasm", "worker.wasm", "wasm_exec.js", "worker.js"} {
		hashed, _ := tab.Hashed(name)
		want = strings.ReplaceAll(want, `"/`+name+`"`, `"`+hashed+`"`)
		want = strings.ReplaceAll(want, `'/`+name+`'`, `'`+hashed+`'`)
	}
	assert.Equal(t, want, page)
	hashedBoot, _ := tab.Hashed("boot.js")

	for _, bad := range []string{
		"/h/0000000000000000/boot.js", "/h/" + strings.Split(hashedBoot, "/")[2] + "/worker.js",
		"/h/", "/h/x", "/h//boot.js", "/h/" + strings.Split(hashedBoot, "/")[2] + "/missing.js",
	} {
		assert.Equal(t, http.StatusNotFound, do(h, http.MethodGet, bad).Code, bad)
	}
}

func TestCSPPerPath(t *testing.T) {
	_, h, _ := newTestHandler(t)
	for path, frame := range map[string]string{"/": "'self'", "/embed": "*", "/index.html": "'self'", "/boot.js": "'self'"} {
		csp := do(h, http.MethodGet, path).Header().Get("Content-Security-Policy")
		assert.True(t, strings.HasSuffix(csp, "; frame-ancestors "+frame), "%s: %s", path, csp)
		assert.Contains(t, csp, "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval';")
		assert.Contains(t, csp, "default-src 'self'")
		assert.Contains(t, csp, "worker-src 'self'")
		assert.Contains(t, csp, "connect-src 'self'")
		script := regexp.MustCompile(`script-src [^;]*`).FindString(csp)
		assert.NotContains(t, script, "unsafe-inline", "no inline scripts")
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	_, h, _ := newTestHandler(t)
	for _, path := range []string{"/.keep", "/.git/config", "/missing.js", "/img", "/img/", "/embed/x", "/index.html/"} {
		assert.Equal(t, http.StatusNotFound, do(h, http.MethodGet, path).Code, path)
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		w := do(h, m, "/")
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
		assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"))
	}
	w := do(h, http.MethodHead, "/app.wasm")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Zero(t, w.Body.Len())
	assert.NotEmpty(t, w.Header().Get("Content-Length"))
}

func TestDevReloadsFromDisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) { require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644)) }
	write("index.html", `<script src="/a.js"></script>`)
	write("a.js", "one")
	write("a.js.gz", "stale, and ignored while developing")
	h, err := Dev(os.DirFS(dir), nil)
	require.NoError(t, err)
	w := do(h, http.MethodGet, "/a.js", "Accept-Encoding", "gzip")
	assert.Equal(t, "one", w.Body.String())
	assert.Empty(t, w.Header().Get("Content-Encoding"))
	write("a.js", "two")
	// It reloads at most once a second: the rest is room for a busy machine.
	require.Eventually(t, func() bool { return do(h, http.MethodGet, "/a.js").Body.String() == "two" },
		10*time.Second, 100*time.Millisecond)
	assert.Contains(t, do(h, http.MethodGet, "/").Body.String(), `"/h/`)
}

func TestEmbeddedAssetsLoad(t *testing.T) {
	_, err := fs.Stat(assets.FS(), ".keep")
	require.NoError(t, err, "the placeholder keeps a fresh checkout building")
	_, err = Load(assets.FS(), LoadOptions{Precompressed: true})
	assert.NoError(t, err)
}

// TestTestHooksMarkThePages: only with TestHooks does a page carry the
// mark that installs the browser tests' hooks, once, on its <html>.
func TestTestHooksMarkThePages(t *testing.T) {
	fsys, _ := fixture(t)
	for _, on := range []bool{false, true} {
		tab, err := Load(fsys, LoadOptions{Precompressed: true, TestHooks: on})
		require.NoError(t, err)
		page := do(New(tab), http.MethodGet, "/").Body.String()
		want := 0
		if on {
			want = 1
			assert.Contains(t, page, `<html data-lanes-test="1"`)
		}
		assert.Equal(t, want, strings.Count(page, "data-lanes-test"), "TestHooks %v", on)
	}
}
