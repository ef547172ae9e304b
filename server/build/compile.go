// One build of a task's module: the go command run under a build's caps,
// and its failure read as a limit, the source's errors or the service's.

package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"lanes/server/module"
)

// limits are the rlimits of each process of a build.
type limits struct {
	dataKiB, fileBlocks, cpuSeconds int64
}

// limits are the service's limits for a build that may take timeout: a
// process may use twice that in CPU time, whose limit bounds a build even
// if the server dies.
func (s *Service) limits(timeout time.Duration) limits {
	return limits{
		dataKiB:    s.opt.Memory >> 10,
		fileBlocks: 2 * s.opt.MaxOutput / 512,
		cpuSeconds: int64(2*timeout/time.Second) + 10,
	}
}

// A refusal is an answer other than a module, with its status: a source
// the service will not build, a build that failed or was cut, or the
// service being off, busy or asked too much.
type refusal struct {
	status int
	msg    string
	diags  []module.Diagnostic
	// cache says the answer is the source's for good (it does not
	// build): it is kept with the modules.
	cache bool
}

func (r *refusal) Error() string { return r.msg }

func refuse(status int, format string, args ...any) *refusal {
	return &refusal{status: status, msg: fmt.Sprintf(format, args...)}
}

// failed is the refusal of a source that does not build, for reasons ds.
func failed(ds []module.Diagnostic) *refusal {
	msg := "the task does not build"
	if len(ds) == 1 {
		msg += ": " + ds[0].Message
	} else {
		msg += fmt.Sprintf(" (%d errors)", len(ds))
	}
	return &refusal{status: http.StatusUnprocessableEntity, msg: msg, diags: ds}
}

// cut is the refusal of a build a limit stopped: of the file as a whole.
func cut(format string, args ...any) *refusal {
	msg := fmt.Sprintf(format, args...)
	return &refusal{status: http.StatusUnprocessableEntity, msg: msg, diags: []module.Diagnostic{{Message: msg}}}
}

// compile builds the task's module from src (nil: core/task as it is)
// within timeout and returns it. Its errors are refusals when the source
// is to blame; others are the service's.
func (s *Service) compile(ctx context.Context, tc *toolchain, src []byte, timeout time.Duration) ([]byte, error) {
	tmp, err := os.MkdirTemp(filepath.Join(tc.dir, "tmp"), "b-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	taskFile := filepath.Join(tmp, "task.go")
	args := []string{"build"}
	if src != nil {
		if err := os.WriteFile(taskFile, src, 0o644); err != nil {
			return nil, err
		}
		overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{
			filepath.Join(tc.src, filepath.FromSlash(module.TaskFile)): taskFile}})
		if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), overlay, 0o644); err != nil {
			return nil, err
		}
		args = append(args, "-overlay="+filepath.Join(tmp, "overlay.json"))
	}
	outFile := filepath.Join(tmp, "task.wasm")
	args = append(append(args, flags...), "-o", outFile, "./wasm/taskworker")
	bctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := limited(bctx, s.limits(timeout), tc.goCmd, args...)
	cmd.Dir, cmd.Env = tc.src, tc.env(tmp)
	var out capped
	out.left = 64 << 10
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err() // the client went away, or the server is stopping
	case bctx.Err() != nil:
		return nil, cut("the build took longer than %v and was stopped", timeout)
	case runErr != nil:
		// The go command names the file by the shorter of its absolute
		// path and the one from the module's directory.
		names := []string{taskFile, module.TaskFile}
		if rel, err := filepath.Rel(tc.src, taskFile); err == nil {
			names = append(names, rel)
		}
		return nil, s.why(runErr, out.Bytes(), src, names)
	}
	st, err := os.Stat(outFile)
	if err != nil {
		return nil, err
	}
	if st.Size() > s.opt.MaxOutput {
		return nil, cut("the module is %d MiB, over the %d MiB a module may be", st.Size()>>20, s.opt.MaxOutput>>20)
	}
	return os.ReadFile(outFile)
}

// why says why a build that ran failed: a limit, or the source's errors.
// module.Diagnose tells the user's lines from the rest: a limit is told
// by what the go command, the compiler or the linker said of it (their
// lines are diagnostics of the file as a whole, line 0), never by an error
// on the user's lines, which may quote anything. Only an answer wholly on
// the user's lines is the source's for good, and kept: the go command's or
// a tool's own failure (a full disk, a killed compiler) may pass.
func (s *Service) why(runErr error, out, src []byte, names []string) error {
	ds := module.Diagnose(out, src, names...)
	var tools string
	for _, d := range ds {
		if d.Line == 0 {
			tools += d.Message + "\n"
		}
	}
	switch {
	case strings.Contains(tools, "out of memory") || strings.Contains(tools, "cannot allocate memory"):
		return cut("the build needed more than the %d MiB of memory a build may have, and was stopped", s.opt.Memory>>20)
	case strings.Contains(tools, "file too large") || strings.Contains(tools, "file size limit exceeded"):
		return cut("the build wrote more than the %d MiB a build may write, and was stopped", 2*s.opt.MaxOutput>>20)
	case strings.Contains(tools, "CPU time limit exceeded"):
		return cut("the build used more CPU time than a build may, and was stopped")
	}
	var exit *exec.ExitError
	if src != nil && errors.As(runErr, &exit) && exit.ExitCode() == 1 && len(ds) > 0 {
		r := failed(ds)
		r.cache = tools == ""
		return r
	}
	return fmt.Errorf("go build: %v: %s", runErr, truncate(out, 2000))
}

// capped keeps the first left bytes written to it and drops the rest.
type capped struct {
	bytes.Buffer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > c.left {
		p = p[:c.left]
	}
	c.left -= len(p)
	c.Buffer.Write(p)
	return n, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
