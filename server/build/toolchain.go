// The service's start: finding the toolchain, laying out Lanes' source
// with safejs vendored, the first build; and a build's environment and flags.

package build

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"lanes/server/module"
)

// A toolchain is what a ready service builds with.
type toolchain struct {
	goCmd   string // the go command
	version string // its version, go1.26.8
	goroot  string
	dir     string // the service's directory
	src     string // Lanes' source, laid out as a module with safejs vendored
	gocache string
	// exec is the toolchain's wasm_exec.js, which a module it built needs,
	// served as execName.
	exec     []byte
	execName string
	// id names a build: the toolchain, the flags and Lanes' source. It is
	// part of every module's key.
	id string
}

// flags are the go build flags of a task's module, as the Makefile builds
// app.wasm: no symbol table, inlining off outside core and the standard
// packages its hot loops call (which saves a tenth of the download), on in
// core/task, the user's package, where a task's own loops are.
var flags = []string{"-trimpath", "-ldflags=-s", "-gcflags=all=-l", "-gcflags=lanes/core/...=",
	"-gcflags=encoding/binary=", "-gcflags=math/bits=", "-gcflags=sync/atomic="}

// setUp finds the toolchain, lays out Lanes' source (once for each build
// of Lanes) and makes a first build, which fills the build cache.
func (s *Service) setUp(ctx context.Context) (*toolchain, error) {
	if err := supported(); err != nil {
		return nil, err
	}
	goCmd := s.opt.Go
	if goCmd == "" {
		var err error
		if goCmd, err = module.GoCommand(); err != nil {
			return nil, err
		}
	}
	dir, err := s.dir()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{dir, filepath.Join(dir, "out"), filepath.Join(dir, "tmp"), filepath.Join(dir, "modcache")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	sweep(dir)
	// The toolchain, asked with the server's own environment (where its
	// module cache is), never to switch to another.
	cmd := exec.CommandContext(ctx, goCmd, "env", "-json", "GOVERSION", "GOROOT", "GOMODCACHE")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s env: %w", goCmd, err)
	}
	var env struct{ GOVERSION, GOROOT, GOMODCACHE string }
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("%s env: %w", goCmd, err)
	}
	tc := &toolchain{goCmd: goCmd, version: env.GOVERSION, goroot: env.GOROOT, dir: dir,
		gocache: cmp.Or(s.opt.GoCache, filepath.Join(dir, "gocache"))}
	if tc.exec, err = os.ReadFile(filepath.Join(env.GOROOT, "lib", "wasm", "wasm_exec.js")); err != nil {
		return nil, fmt.Errorf("the toolchain's wasm_exec.js: %w", err)
	}
	tc.execName = "wasm_exec." + hash(tc.exec)[:16] + ".js"
	lanes := module.Web.Hash()
	tc.src = filepath.Join(dir, "src-"+lanes[:16])
	if err := layOut(ctx, tc, env.GOMODCACHE); err != nil {
		return nil, err
	}
	tc.id = hash([]byte(fmt.Sprintf("lanes task build 1\n%s\n%q\n%s\n", tc.version, flags, lanes)))
	if _, err := s.compile(ctx, tc, nil, s.opt.StartTimeout); err != nil {
		return nil, fmt.Errorf("the first build, of core/task as it is: %w", err)
	}
	return tc, nil
}

// layOut lays out Lanes' source in tc.src, unless it is there: in a
// directory of its own first, vendoring safejs from the module cache with
// no network, then renamed into place.
func layOut(ctx context.Context, tc *toolchain, modcache string) error {
	if _, err := os.Stat(filepath.Join(tc.src, "vendor", "modules.txt")); err == nil {
		return nil
	}
	tmp, err := os.MkdirTemp(tc.dir, "src-new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := module.Web.Write(tmp); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, tc.goCmd, "mod", "vendor")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOMODCACHE="+modcache)
	if out, err := cmd.CombinedOutput(); err != nil {
		if bytes.Contains(out, []byte("GOPROXY=off")) || bytes.Contains(out, []byte("missing")) {
			return fmt.Errorf("the module cache (%s) has no %s, which the Web Worker imports: run go mod download %s", modcache, module.Safejs, module.Safejs)
		}
		return fmt.Errorf("go mod vendor: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, tc.src); err != nil {
		if _, serr := os.Stat(filepath.Join(tc.src, "vendor", "modules.txt")); serr == nil {
			return nil // another server laid it out first
		}
		return err
	}
	return nil
}

// env is the whole environment of a build in tmp: nothing of the server's.
func (tc *toolchain) env(tmp string) []string {
	return []string{
		"PATH=/usr/bin:/bin", "HOME=" + tmp, "TMPDIR=" + tmp, "GOTMPDIR=" + tmp,
		"GOROOT=" + tc.goroot, "GOCACHE=" + tc.gocache,
		"GOMODCACHE=" + filepath.Join(tc.dir, "modcache"), // stays empty: the one module is vendored
		"GOPATH=" + filepath.Join(tmp, "gopath"),
		"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0",
		"GOTOOLCHAIN=local", "GOPROXY=off", "GOSUMDB=off", "GOVCS=*:off", "GOWORK=off", "GOENV=off", "GOTELEMETRY=off",
		"GOFLAGS=-mod=vendor -buildvcs=false",
	}
}

// hash is the hex SHA-256 of b.
func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// sweep removes what builds and lay-outs left behind in dir when their
// server died: what is an hour old in tmp/, and unfinished lay-outs.
func sweep(dir string) {
	old := time.Now().Add(-time.Hour)
	var stale []string
	if entries, err := os.ReadDir(filepath.Join(dir, "tmp")); err == nil {
		for _, e := range entries {
			stale = append(stale, filepath.Join(dir, "tmp", e.Name()))
		}
	}
	if matches, err := filepath.Glob(filepath.Join(dir, "src-new-*")); err == nil {
		stale = append(stale, matches...)
	}
	for _, p := range stale {
		if st, err := os.Stat(p); err == nil && st.ModTime().Before(old) {
			os.RemoveAll(p)
		}
	}
}
