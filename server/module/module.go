// Package module lays out Lanes' own source, embedded in the program
// (packages core, wasm and server/cli carry it), as a Go module in a
// directory, with a user's task in the place of core/task's file, so that
// the go command can build a program around the task: the task's Web
// Worker (wasm/taskworker), for the build service (server/build), or a
// native command line (server/taskrun/taskmain), for lanes run --task.
// It also reads the go command's errors back as diagnostics on the lines
// of the user's file (Diagnose).
//
// The module is named lanes, as the repository's, so the packages keep
// their import paths; it needs no download: natively Lanes imports the
// standard library alone, and for the browser it needs
// github.com/hack-pad/safejs (Safejs), which the build service vendors
// from the module cache.
package module

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"lanes/core"
	"lanes/server/cli"
	"lanes/wasm"
)

// TaskFile is where the user's file goes in the module.
const TaskFile = "core/task/task.go"

// GoVersion is the go line of the module's go.mod: the repository's (a
// test checks they agree).
const GoVersion = "1.26.0"

// Safejs is the one module the browser's packages import, at the
// repository's version (a test checks it against go.mod).
const Safejs = "github.com/hack-pad/safejs@v0.1.1"

// A Part is a tree of Lanes' source and where it goes in the module.
type Part struct {
	Dir string // its directory in the module, as in the repository
	FS  fs.FS
}

// The parts, as the programs around a task need them.
var (
	Core = Part{"core", core.Source}
	Wasm = Part{"wasm", wasm.Source}
	CLI  = Part{"server/cli", cli.Source}
)

// A Program is one of Lanes' main packages around a task and the source
// it is built from.
type Program struct {
	// Main is the main package's directory in the module.
	Main  string
	Parts []Part
	// Requires are the modules go.mod requires, as path@version, and
	// Sums their go.sum lines.
	Requires []string
	Sums     []string
}

// Web is the task's Web Worker, built for GOOS=js GOARCH=wasm.
var Web = Program{
	Main: "wasm/taskworker", Parts: []Part{Core, Wasm},
	Requires: []string{Safejs},
	Sums: []string{
		"github.com/hack-pad/safejs v0.1.1 h1:d5qPO0iQ7h2oVtpzGnLExE+Wn9AtytxIfltcS2b9KD8=",
		"github.com/hack-pad/safejs v0.1.1/go.mod h1:HdS+bKF1NrE72VoXZeWzxFOVQVUSqZJAG0xNCnb+Tio=",
	},
}

// Write lays out the program's source in dir as the module lanes: the
// packages its main imports, of Lanes' own, each whole but for its tests,
// and a go.mod and go.sum. dir may exist; files already there are
// overwritten.
func (p Program) Write(dir string) error {
	var mod strings.Builder
	fmt.Fprintf(&mod, "module lanes\n\ngo %s\n", GoVersion)
	for _, r := range p.Requires {
		path, v, ok := strings.Cut(r, "@")
		if !ok {
			return fmt.Errorf("module: require %q: want path@version", r)
		}
		fmt.Fprintf(&mod, "\nrequire %s %s\n", path, v)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod.String()), 0o644); err != nil {
		return err
	}
	sum := strings.Join(p.Sums, "\n")
	if sum != "" {
		sum += "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(sum), 0o644); err != nil {
		return err
	}
	return p.walk(func(name string, data []byte) error {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// Hash is a hash of the files Write lays out, in hex: it names the build
// of Lanes the program is built from.
func (p Program) Hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "module lanes go %s main %s requires %q\n", GoVersion, p.Main, p.Requires)
	err := p.walk(func(name string, data []byte) error {
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		panic("module: " + err.Error()) // embedded files always read
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Packages lists the directories of the packages Write lays out, sorted.
func (p Program) Packages() ([]string, error) {
	seen := map[string]bool{}
	err := p.walk(func(name string, _ []byte) error {
		seen[path.Dir(name)] = true
		return nil
	})
	var dirs []string
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, err
}

// walk calls f with each file of the packages the program's main imports
// from parts (theirs too, and so on), tests left out, by its module path,
// in sorted order. Every file of a package counts, whatever its build
// constraints: the go command picks among them.
func (p Program) walk(f func(name string, data []byte) error) error {
	type file struct {
		fsys fs.FS
		path string
		data []byte
	}
	pkgs := map[string][]file{} // by directory in the module
	for _, part := range p.Parts {
		err := fs.WalkDir(part.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(name, "_test.go") || !strings.HasSuffix(name, ".go") {
				return err
			}
			dir := path.Dir(path.Join(part.Dir, name))
			pkgs[dir] = append(pkgs[dir], file{part.FS, name, nil})
			return nil
		})
		if err != nil {
			return err
		}
	}
	need := map[string]bool{}
	var visit func(dir string) error
	visit = func(dir string) error {
		if need[dir] {
			return nil
		}
		files, ok := pkgs[dir]
		if !ok {
			return fmt.Errorf("module: no source of package lanes/%s", dir)
		}
		need[dir] = true
		for i := range files {
			data, err := fs.ReadFile(files[i].fsys, files[i].path)
			if err != nil {
				return err
			}
			files[i].data = data
			f, err := parser.ParseFile(token.NewFileSet(), files[i].path, data, parser.ImportsOnly)
			if err != nil {
				return fmt.Errorf("module: %s: %w", files[i].path, err)
			}
			for _, imp := range f.Imports {
				if dep, ok := strings.CutPrefix(strings.Trim(imp.Path.Value, `"`), "lanes/"); ok {
					if err := visit(dep); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if err := visit(p.Main); err != nil {
		return err
	}
	var names []string
	byName := map[string][]byte{}
	for dir := range need {
		for _, fl := range pkgs[dir] {
			name := path.Join(dir, path.Base(fl.path))
			names = append(names, name)
			byName[name] = fl.data
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if err := f(name, byName[name]); err != nil {
			return err
		}
	}
	return nil
}

// GoCommand returns the path of the go command in PATH, or an error that
// says how to install it.
func GoCommand() (string, error) {
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("no Go toolchain: the go command is not in PATH; install Go %s or later (https://go.dev/dl/) and put its bin directory in PATH", GoVersion)
	}
	return p, nil
}
