package module_test

import (
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/server/module"
)

const goodTask = `package task

import "context"

func Task(ctx context.Context, i, n int) (string, error) {
	return "1", nil
}
`

func TestParse(t *testing.T) {
	cases := []struct {
		name, src string
		want      []module.Diagnostic
	}{
		{"good", goodTask, nil},
		{"package main", "package main\n\nfunc Task() {}\n", []module.Diagnostic{{1, 9, "package main: the file must be package task"}}},
		{"no Task", "package task\n\nfunc task() {}\n", []module.Diagnostic{{0, 0, "no func Task: the file must declare " + module.Signature}}},
		{"a method is no Task", "package task\n\ntype T int\n\nfunc (T) Task() {}\n", []module.Diagnostic{{0, 0, "no func Task: the file must declare " + module.Signature}}},
		{"syntax", "package task\n\nfunc Task( {\n", []module.Diagnostic{{3, 12, "expected ')', found '{'"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ds := module.Parse(token.NewFileSet(), []byte(c.src))
			if len(c.want) == 1 && len(ds) > 0 {
				ds = ds[:1] // a syntax error may bring others along
			}
			assert.Equal(t, c.want, ds)
		})
	}
}

func TestDiagnose(t *testing.T) {
	src := []byte(goodTask)
	cases := []struct {
		name, out string
		want      []module.Diagnostic
	}{
		{"compiler, on the overlay's path", "# lanes/core/task\n/tmp/b1/task.go:6:2: declared and not used: x\n/tmp/b1/task.go:7:9: undefined: y\n",
			[]module.Diagnostic{{6, 2, "declared and not used: x"}, {7, 9, "undefined: y"}}},
		{"go command, on the module's path", "core/task/task.go:5:2: package nosuch/pkg is not in std (/usr/local/go/src/nosuch/pkg)\n",
			[]module.Diagnostic{{5, 2, "package nosuch/pkg is not in std (/usr/local/go/src/nosuch/pkg)"}}},
		{"./ prefix, no column", "./core/task/task.go:3: something\n", []module.Diagnostic{{3, 0, "something"}}},
		{"continued lines", "/tmp/b1/task.go:7:9: too many return values\n\thave (string, error, int)\n\twant (string, error)\n",
			[]module.Diagnostic{{7, 9, "too many return values\nhave (string, error, int)\nwant (string, error)"}}},
		{"Task's type", "# lanes/wasm/taskworker\nwasm/taskworker/main_js.go:17:19: cannot use task.Task (value of type func(ctx context.Context, i int) (string, error)) as workload.TaskFunc value in argument to workload.SetTask\n",
			[]module.Diagnostic{{5, 6, "Task must be " + module.Signature + ": cannot use task.Task (value of type func(ctx context.Context, i int) (string, error)) as workload.TaskFunc value in argument to workload.SetTask"}}},
		{"the go command's own", "go: no space left on device\n", []module.Diagnostic{{0, 0, "no space left on device"}}},
		{"too many errors", "/tmp/b1/task.go:1:1: a\n/tmp/b1/task.go:1:2: too many errors\n", []module.Diagnostic{{1, 1, "a"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, module.Diagnose([]byte(c.out), src, "/tmp/b1/task.go", module.TaskFile))
		})
	}
}
