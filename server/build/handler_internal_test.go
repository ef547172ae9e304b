package build

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChecksBeforeTheCache: a module kept from before (a server whose
// checks let more through) is not the answer to a source today's checks
// refuse.
func TestChecksBeforeTheCache(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	tc := &toolchain{dir: dir, id: "a build of Lanes", execName: "wasm_exec.0123456789abcdef.js"}
	s := New(Options{Dir: dir})
	s.start.Do(func() { close(s.started) }) // started, ready with tc: no toolchain needed
	s.set(StateReady, "", tc)
	src := "package task\n\nimport (\n\t\"context\"\n\t\"os\"\n)\n\nfunc Task(ctx context.Context, i, n int) (string, error) { return os.Getenv(\"HOME\"), nil }\n"
	require.NoError(t, os.WriteFile(tc.out(key(tc, []byte(src))+".wasm"), []byte("\x00asm"), 0o644))

	body, err := json.Marshal(map[string]string{"source": src})
	require.NoError(t, err)
	req := httptest.NewRequest("POST", "/api/build", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `import \"os\"`)
}
