package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrim keeps the most recently used modules within CacheBytes.
func TestTrim(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	tc := &toolchain{dir: dir}
	s := New(Options{CacheBytes: 2500})
	old := time.Now().Add(-time.Hour)
	for i, k := range []string{"aaaa", "bbbb", "cccc"} {
		for _, suffix := range []string{".wasm", ".wasm.br", ".wasm.gz"} {
			require.NoError(t, os.WriteFile(tc.out(k+suffix), make([]byte, 300), 0o644))
		}
		when := old.Add(time.Duration(i) * time.Minute)
		require.NoError(t, os.Chtimes(tc.out(k+".wasm"), when, when))
	}
	require.NoError(t, os.WriteFile(tc.out("dddd.json"), make([]byte, 900), 0o644))
	// A hit makes aaaa the most recently used.
	ok, _ := s.cached(tc, "aaaa")
	require.True(t, ok)
	s.trim(tc) // 3×900 + 900 = 3600 bytes: bbbb, then cccc go
	for k, kept := range map[string]bool{"aaaa": true, "bbbb": false, "cccc": false, "dddd": true} {
		_, err := os.Stat(tc.out(k + ".wasm"))
		if k == "dddd" {
			_, err = os.Stat(tc.out(k + ".json"))
		}
		assert.Equal(t, kept, err == nil, k)
	}
	_, err := os.Stat(tc.out("bbbb.wasm.br"))
	assert.True(t, os.IsNotExist(err), "a module goes with its compressed forms")
}

func TestValidKey(t *testing.T) {
	assert.True(t, validKey("0123456789abcdef0123456789abcdef"))
	for _, k := range []string{"", "0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcde", "../../../etc/passwd00000000000000"} {
		assert.False(t, validKey(k), k)
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{"tmp/b-old", "tmp/b-new", "src-new-old", "src-new-new", "src-0123"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, p), 0o755))
	}
	for _, p := range []string{"tmp/b-old", "src-new-old", "src-0123"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, p), old, old))
	}
	sweep(dir)
	for p, kept := range map[string]bool{"tmp/b-old": false, "tmp/b-new": true, "src-new-old": false, "src-new-new": true, "src-0123": true} {
		_, err := os.Stat(filepath.Join(dir, p))
		assert.Equal(t, kept, err == nil, p)
	}
}
