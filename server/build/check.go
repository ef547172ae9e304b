// The checks of a task's source before any build: the imports a task may
// use (Imports), the directives it may carry (Directives).

package build

import (
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"lanes/server/module"
)

// Imports are the packages a user's task may import: the standard
// library's packages that compute — numbers, text, encodings, hashes,
// containers, compression, concurrency and time — and nothing that
// reaches outside the Go instance or around Go's safety. A task runs in a
// browser's Web Worker, where there are no files, processes or sockets to
// reach, and the build runs on the server, where what the source names
// must not be read into the module. So these are out, among others: os
// and os/* (files, processes, environment), net and net/* (a task does
// not talk to the network: an I/O task waits with time.After, as the
// io-download starter does), syscall and syscall/js (the host itself:
// from a Web Worker, JavaScript), unsafe,
// plugin, runtime/debug, runtime/pprof and runtime/trace (the runtime's
// internals and writing files), embed (files read into the module at
// build time), path/filepath and io/ioutil (files), mime (reads system
// files), testing, go/*, debug/* and internal packages, and anything not
// in the standard library (there is no module download).
var Imports = []string{
	"bufio", "bytes", "cmp", "compress/bzip2", "compress/flate", "compress/gzip", "compress/lzw",
	"compress/zlib", "container/heap", "container/list", "container/ring", "context",
	"crypto/hmac", "crypto/md5", "crypto/rand", "crypto/sha1", "crypto/sha256", "crypto/sha3",
	"crypto/sha512", "encoding", "encoding/base32", "encoding/base64", "encoding/binary",
	"encoding/csv", "encoding/hex", "encoding/json", "errors", "fmt", "hash", "hash/adler32",
	"hash/crc32", "hash/crc64", "hash/fnv", "hash/maphash", "html", "image", "image/color", "io",
	"iter", "log", "maps", "math", "math/big", "math/bits", "math/cmplx", "math/rand",
	"math/rand/v2", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings", "sync",
	"sync/atomic", "text/tabwriter", "time", "unicode", "unicode/utf16", "unicode/utf8", "unique",
}

// Directives are the //go: directives a task may carry: only one that
// changes no more than how its own code compiles. The others can reach
// what the imports keep out — //go:embed reads files at build time,
// //go:linkname the runtime's internals, //go:wasmimport the host's
// functions, //go:build and //line hide the file or move its errors —
// and cgo's directives need cgo, which is off.
var Directives = []string{"//go:noinline"}

// check looks at a parsed task for what the build service refuses, and
// says where: imports outside Imports (import "C", cgo, among them), and
// directives other than Directives.
func check(fset *token.FileSet, f *ast.File) []module.Diagnostic {
	var ds []module.Diagnostic
	at := func(pos token.Pos, msg string) {
		p := fset.Position(pos)
		ds = append(ds, module.Diagnostic{Line: p.Line, Column: p.Column, Message: msg})
	}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		switch {
		case err != nil:
			at(imp.Path.Pos(), "import "+imp.Path.Value+": not a valid import path")
		case path == "C":
			at(imp.Path.Pos(), `import "C": cgo is off; a task is Go alone`)
		case !slices.Contains(Imports, path):
			at(imp.Path.Pos(), "import "+strconv.Quote(path)+": not among the imports a task may use"+hint(path))
		}
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			text := c.Text
			switch {
			case strings.HasPrefix(text, "//go:"):
				name, _, _ := strings.Cut(text, " ")
				if !slices.Contains(Directives, name) {
					at(c.Pos(), name+": this directive is not allowed in a task"+directiveHint(name))
				}
			case strings.HasPrefix(text, "//line ") || strings.HasPrefix(text, "/*line "):
				at(c.Pos(), "//line: line directives are not allowed in a task")
			case strings.HasPrefix(text, "// +build"):
				at(c.Pos(), "// +build: build constraints are not allowed in a task")
			}
		}
	}
	return ds
}

// hint says what to use instead of a refused import, where there is a
// usual answer.
func hint(path string) string {
	switch {
	case path == "net" || strings.HasPrefix(path, "net/"):
		return ": a task has no network; to wait as I/O does, use time.After with ctx (see the io-download starter)"
	case path == "os" || strings.HasPrefix(path, "os/") || path == "path/filepath" || path == "io/ioutil":
		return ": a task has no files, processes or environment; fmt.Println prints to the console"
	case path == "unsafe" || path == "syscall" || strings.HasPrefix(path, "syscall/"):
		return ": a task stays inside Go's safety and its Web Worker"
	case path == "embed":
		return ": a task reads no files at build time"
	case !strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
		return ": see the list the build service gives (GET /api/build)"
	}
	return ": a task imports the standard library alone; there is no module download"
}

func directiveHint(name string) string {
	switch name {
	case "//go:embed":
		return ": a task reads no files at build time"
	case "//go:build":
		return ": a task is one file, always built"
	}
	return ""
}
