//go:build unix

// A build's processes under rlimits, in a process group killed at its
// deadline (Unix).

package build

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"syscall"
)

// limited is the command name args under the limits of every process of
// a build: it runs through /bin/sh, which sets them (rlimits, inherited by
// the go command and the compiler and linker it starts: data in KiB, file
// size in the 512-byte blocks POSIX sh counts in, CPU seconds) and then
// becomes the command, in a process group of its own, so that the whole
// build is killed when ctx is done.
func limited(ctx context.Context, l limits, name string, args ...string) *exec.Cmd {
	sh := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c",
		`ulimit -d "$1" && ulimit -f "$2" && ulimit -t "$3" && shift 3 && exec "$@"`, "sh",
		strconv.FormatInt(l.dataKiB, 10), strconv.FormatInt(l.fileBlocks, 10), strconv.FormatInt(l.cpuSeconds, 10), name}, args...)...)
	sh.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	sh.Cancel = func() error { return killGroup(sh) }
	return sh
}

// killGroup kills cmd's process group: the go command, and the compiler
// or linker it is waiting for.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return errors.New("not started")
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// supported says whether builds can run here, and why not.
func supported() error { return nil }
