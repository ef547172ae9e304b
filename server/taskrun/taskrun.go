// Package taskrun is lanes run --task FILE.go: it builds the user's file,
// one Go file of package task (the task API, workload.TaskFunc), with the
// user's own Go toolchain into a temporary command line around it
// (taskmain), and runs that with the rest of the flags — every strategy on
// this machine, worker processes included, the temporary program being its
// own worker process. It prints what lanes run prints; its --json report
// is a lanes.report/v1 of the demo "task".
//
// The build is the user's, on the user's machine: none of the build
// service's checks (server/build) apply, but its errors are shown on the
// file's own lines. The server never runs a user's task natively.
package taskrun

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"lanes/server/module"
)

//go:embed taskmain/*.go
var mainSource embed.FS

// Program is the command line around a task.
var Program = module.Program{
	Main:  "server/taskrun/taskmain",
	Parts: []module.Part{module.Core, module.CLI, {Dir: "server/taskrun", FS: mainSource}},
}

// Wants reports whether lanes run's args ask for a task of the user's:
// a --task flag.
func Wants(args []string) bool {
	_, _, ok, _ := taskFlag(args)
	return ok
}

// taskFlag takes --task FILE (or -task, or =FILE) out of args.
func taskFlag(args []string) (file string, rest []string, ok bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "task" {
			rest = append(rest, a)
			continue
		}
		if ok {
			return "", nil, true, errors.New("run: --task given twice")
		}
		ok = true
		if !hasValue {
			if i+1 == len(args) {
				return "", nil, true, errors.New("run: --task needs a file: --task FILE.go")
			}
			i++
			value = args[i]
		}
		file = value
	}
	return file, rest, ok, nil
}

// An ExitError is the exit status of the command line around the task,
// which has said what went wrong itself.
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("run --task: exited with status %d", e.Code) }

// stopGrace is how long the program around the task has to stop by
// itself, its report printed, once ctx is done before it is killed.
const stopGrace = 10 * time.Second

// Run runs lanes run with args that hold --task FILE.go: it builds the file
// and runs the program around it with the other args, passing standard
// output and error through; its standard input reads nothing, as the task
// API says (a task reading it would wait on the user's terminal). When ctx
// is done, the program is interrupted (it prints its partial report) and
// killed stopGrace later.
// An error is the file's failure to build (its diagnostics are printed on
// stderr first, as FILE:LINE:COL: message), or an ExitError.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file, rest, _, err := taskFlag(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		return fmt.Errorf("run: --task runs your task as the demo %q: name no demo (got %q)", "task", rest[0])
	}
	dir, err := os.MkdirTemp("", "lanes-task-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := Build(ctx, file, dir, stderr)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, rest...)
	cmd.Stdout, cmd.Stderr = stdout, stderr // Stdin nil: the null device
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = stopGrace
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return ExitError{exit.ExitCode()}
	}
	if err != nil {
		return fmt.Errorf("run --task: %w", err)
	}
	return nil
}

// Build builds the command line around the task in file into dir, with
// the go command in PATH and the user's environment, and returns the
// program's path. When the file does not build, its diagnostics go to
// diag, each as FILE:LINE:COL: message, and the error says so.
func Build(ctx context.Context, file, dir string, diag io.Writer) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("run --task: %w", err)
	}
	goCmd, err := module.GoCommand()
	if err != nil {
		return "", fmt.Errorf("run --task: %w", err)
	}
	fail := func(ds []module.Diagnostic) error {
		for _, d := range ds {
			fmt.Fprintln(diag, position(file, d), d.Message)
		}
		return fmt.Errorf("run --task: %s does not build (%d errors above)", file, len(ds))
	}
	if _, ds := module.Parse(token.NewFileSet(), src); len(ds) > 0 {
		return "", fail(ds)
	}
	mod := filepath.Join(dir, "src")
	if err := Program.Write(mod); err != nil {
		return "", fmt.Errorf("run --task: %w", err)
	}
	if err := os.WriteFile(filepath.Join(mod, filepath.FromSlash(module.TaskFile)), src, 0o644); err != nil {
		return "", fmt.Errorf("run --task: %w", err)
	}
	exe := filepath.Join(dir, "lanes-task")
	// -trimpath keeps the temporary directory out of the build cache's
	// keys, so that Lanes' packages build once, not every run.
	build := exec.CommandContext(ctx, goCmd, "build", "-trimpath", "-o", exe, "./"+Program.Main)
	build.Dir = mod
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := build.CombinedOutput()
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if ds := module.Diagnose(out, src, module.TaskFile); len(ds) > 0 {
			return "", fail(ds)
		}
		return "", fmt.Errorf("run --task: go build: %v\n%s", err, out)
	}
	return exe, nil
}

// position is where d is in file, as the go command writes it.
func position(file string, d module.Diagnostic) string {
	switch {
	case d.Line == 0:
		return file + ":"
	case d.Column == 0:
		return fmt.Sprintf("%s:%d:", file, d.Line)
	}
	return fmt.Sprintf("%s:%d:%d:", file, d.Line, d.Column)
}
