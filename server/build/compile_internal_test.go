package build

import (
	"errors"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWhy: a failed build's output is the source's errors, kept as its
// answer for good, only when every line is on the user's file; a limit is
// told only by the tools' own lines; the go command's or a tool's own
// failure is answered but never kept.
func TestWhy(t *testing.T) {
	exit1 := exec.Command("/bin/sh", "-c", "exit 1").Run()
	require.Error(t, exit1)
	src := []byte("package task\n\nimport \"context\"\n\nfunc Task(ctx context.Context, i, n int) (string, error) {\n\tx := 1\n\treturn y, nil\n}\n")
	names := []string{"/tmp/b1/task.go", "core/task/task.go"}
	s := New(Options{})
	cases := []struct {
		name, out string
		cache     bool
		says      string
	}{
		{"the source's errors", "# lanes/core/task\n/tmp/b1/task.go:6:2: declared and not used: x\n/tmp/b1/task.go:7:9: undefined: y\n", true, "does not build (2 errors)"},
		{"an error quoting a limit's words", "/tmp/b1/task.go:7:9: undefined: out_of_memory \"file too large\"\n", true, "does not build"},
		{"a full disk", "go: writing go.mod cache: no space left on device\n", false, "no space left on device"},
		{"a killed compiler", "# lanes/core/task\ngo build lanes/core/task: /go/pkg/tool/linux_amd64/compile: signal: killed\n/tmp/b1/task.go:7:9: undefined: y\n", false, "does not build"},
		{"out of memory", "# lanes/core/task\nfatal error: runtime: out of memory\n", false, "more than the 1024 MiB of memory"},
		{"a file too large", "# lanes/wasm/taskworker\n/tmp/b1/task.wasm: write: file too large\n", false, "wrote more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r *refusal
			require.True(t, errors.As(s.why(exit1, []byte(c.out), src, names), &r))
			assert.Equal(t, 422, r.status)
			assert.Equal(t, c.cache, r.cache, "kept as the source's answer")
			assert.Contains(t, r.msg, c.says)
		})
	}
}
