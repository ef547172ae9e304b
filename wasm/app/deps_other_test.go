//go:build !js

package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// leftOut are packages the wasm build must not link: net/http, and with
// it crypto/tls, crypto/x509 and the net stack, once made half of
// app.wasm's download (2.41 MB brotli with them, 1.19 MB without), while
// the browser's own fetch() does a download's work (wasm/fetch).
var leftOut = []string{"net", "net/http", "crypto/tls", "crypto/x509"}

// TestWasmBuildLeavesOutNetHTTP lists the packages of the js/wasm build
// of this program, which the page and every worker run, and names the
// import path that brought in any of leftOut.
func TestWasmBuildLeavesOutNetHTTP(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the wasm build's packages with")
	}
	cmd := exec.Command(gocmd, "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr(err))

	imports := map[string][]string{} // package → the packages it imports
	root := ""
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		f := strings.Fields(line)
		imports[f[0]] = f[1:]
		root = f[0] // go list -deps lists the named package last
	}
	require.Equal(t, "lanes/wasm/app", root)
	for _, p := range leftOut {
		if _, ok := imports[p]; ok {
			t.Errorf("%s is in the wasm build: %s", p, strings.Join(importPath(imports, root, p), " → "))
		}
	}
}

// importPath is a shortest chain of imports from root to p.
func importPath(imports map[string][]string, root, p string) []string {
	from := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		if q == p {
			path := []string{p}
			for q = from[q]; q != ""; q = from[q] {
				path = append(path, q)
			}
			slices.Reverse(path)
			return path
		}
		for _, next := range imports[q] {
			if _, seen := from[next]; !seen {
				from[next] = q
				queue = append(queue, next)
			}
		}
	}
	return []string{root, "…", p}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
