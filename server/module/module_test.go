package module_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/module"
)

// goCommand is the go command; without one the test fails saying how to
// install it.
func goCommand(t *testing.T) string {
	t.Helper()
	g, err := module.GoCommand()
	require.NoError(t, err)
	return g
}

// TestWebHasEveryPackage: the Web Worker's program lays out every
// package of Lanes' that the go command says it imports — so a new import
// in core or wasm cannot leave the build service without its source.
func TestWebHasEveryPackage(t *testing.T) {
	cmd := exec.Command(goCommand(t), "list", "-deps", "lanes/wasm/taskworker")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	require.NoError(t, err)
	var want []string
	for _, p := range strings.Fields(string(out)) {
		if dir, ok := strings.CutPrefix(p, "lanes/"); ok {
			want = append(want, dir)
		}
	}
	sort.Strings(want)
	got, err := module.Web.Packages()
	require.NoError(t, err, "a package the worker imports is not embedded: add its directory to the go:embed of core/source.go or wasm/source.go")
	assert.Equal(t, want, got)
}

func TestGoModAgrees(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`(?m)^go `+regexp.QuoteMeta(module.GoVersion)+`$`), string(mod))
	path, version, _ := strings.Cut(module.Safejs, "@")
	assert.Contains(t, string(mod), path+" "+version)
	sum, err := os.ReadFile("../../go.sum")
	require.NoError(t, err)
	for _, line := range module.Web.Sums {
		assert.Contains(t, string(sum), line+"\n")
	}
}

// TestWriteBuilds lays out the Web Worker's module, vendors safejs from
// the module cache with no network, and builds it.
func TestWriteBuilds(t *testing.T) {
	goCmd := goCommand(t)
	dir := t.TempDir()
	require.NoError(t, module.Web.Write(dir))
	_, err := os.Stat(filepath.Join(dir, module.TaskFile))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "core/internal/testkit"))
	assert.True(t, os.IsNotExist(err), "packages the program does not import are left out")
	env := append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
	vendor := exec.Command(goCmd, "mod", "vendor")
	vendor.Dir, vendor.Env = dir, env
	out, err := vendor.CombinedOutput()
	require.NoError(t, err, "%s", out)
	build := exec.Command(goCmd, "build", "-o", filepath.Join(dir, "w.wasm"), "./wasm/taskworker")
	build.Dir, build.Env = dir, append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=-mod=vendor", "GOPROXY=off", "GOWORK=off")
	out, err = build.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

func TestHash(t *testing.T) {
	h := module.Web.Hash()
	assert.Len(t, h, 64)
	assert.Equal(t, h, module.Web.Hash())
	other := module.Web
	other.Main = "wasm/worker"
	assert.NotEqual(t, h, other.Hash())
}
