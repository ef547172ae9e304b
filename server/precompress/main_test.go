package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	}
	big := strings.Repeat("console.log('lanes');\n", 500)
	write("app.js", big)
	write("sub/app.wasm", big)
	write("tiny.js", "1")
	write("tiny.js.gz", "stale")
	write("index.html", big)
	write("icon.png", big)
	require.NoError(t, run(dir))

	for _, name := range []string{"app.js", "sub/app.wasm"} {
		gz, err := os.ReadFile(filepath.Join(dir, name+".gz"))
		require.NoError(t, err)
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, big, string(plain))

		br, err := os.ReadFile(filepath.Join(dir, name+".br"))
		require.NoError(t, err)
		plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		require.NoError(t, err)
		assert.Equal(t, big, string(plain))
	}
	for _, name := range []string{"tiny.js.gz", "tiny.js.br", "index.html.gz", "index.html.br", "icon.png.gz"} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.True(t, os.IsNotExist(err), "%s should not exist", name)
	}
}
