// The user's file read back: its shape checked (Parse), and the go
// command's errors turned into diagnostics on its lines (Diagnose).

package module

import (
	"bufio"
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// A Diagnostic is one error in the user's file. Line and Column are
// 1-based, the column counted in bytes as the Go compiler counts it; line
// 0 means the file as a whole.
type Diagnostic struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Signature is the task API's function, as the user's file declares it.
const Signature = "func Task(ctx context.Context, i, n int) (string, error)"

// Parse parses the user's file and checks its shape — package task, with
// a func Task — returning the file, and what is wrong as diagnostics.
// Whether Task has the right type is the compiler's to say (Diagnose).
func Parse(fset *token.FileSet, src []byte) (*ast.File, []Diagnostic) {
	f, err := parser.ParseFile(fset, "task.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			var ds []Diagnostic
			for _, e := range list {
				ds = append(ds, Diagnostic{e.Pos.Line, e.Pos.Column, e.Msg})
			}
			return nil, ds
		}
		return nil, []Diagnostic{{Message: err.Error()}}
	}
	var ds []Diagnostic
	if f.Name.Name != "task" {
		p := fset.Position(f.Name.Pos())
		ds = append(ds, Diagnostic{p.Line, p.Column, "package " + f.Name.Name + ": the file must be package task"})
	}
	if taskFunc(f) == nil {
		ds = append(ds, Diagnostic{Message: "no func Task: the file must declare " + Signature})
	}
	return f, ds
}

// taskFunc returns the file's func Task, or nil.
func taskFunc(f *ast.File) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "Task" {
			return fn
		}
	}
	return nil
}

// errorLine is one error of the go command or the compiler:
// "path:line:col: message" or "path:line: message".
var errorLine = regexp.MustCompile(`^(.+?\.go):(\d+)(?::(\d+))?: (.*)$`)

// Diagnose turns the output of a go build that failed into diagnostics on
// the user's file, src, which the output names by any of names (the path
// the go command gives it, or the overlay's). An error in another file —
// the program around the task — can only be Task's type not fitting: it
// goes on func Task's line, saying so. Lines of the go command's own
// ("go: …") become diagnostics of the file as a whole; headers ("# pkg")
// and the compiler's "too many errors" are dropped.
func Diagnose(out []byte, src []byte, names ...string) []Diagnostic {
	fset := token.NewFileSet()
	taskLine, taskCol := 0, 0
	if f, _ := parser.ParseFile(fset, "task.go", src, parser.SkipObjectResolution); f != nil {
		if fn := taskFunc(f); fn != nil {
			p := fset.Position(fn.Name.Pos())
			taskLine, taskCol = p.Line, p.Column
		}
	}
	ours := func(p string) bool {
		p = strings.TrimPrefix(p, "./")
		for _, n := range names {
			if p == strings.TrimPrefix(n, "./") {
				return true
			}
		}
		return false
	}
	var ds []Diagnostic
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "# ") || strings.HasSuffix(line, ": too many errors") || line == "too many errors":
			continue
		case strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    "):
			if len(ds) > 0 { // the error above goes on
				ds[len(ds)-1].Message += "\n" + strings.TrimSpace(line)
			}
			continue
		}
		m := errorLine.FindStringSubmatch(line)
		if m == nil {
			ds = append(ds, Diagnostic{Message: strings.TrimPrefix(line, "go: ")})
			continue
		}
		if !ours(m[1]) {
			ds = append(ds, Diagnostic{taskLine, taskCol, "Task must be " + Signature + ": " + m[4]})
			continue
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3]) // 0 when the error has no column
		ds = append(ds, Diagnostic{ln, col, m[4]})
	}
	return ds
}
