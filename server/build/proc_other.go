//go:build !unix

package build

import (
	"context"
	"errors"
	"os/exec"
)

func limited(ctx context.Context, _ limits, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, name, args...)
}

func supported() error {
	return errors.New("the build service needs a Unix server: it bounds a build's memory and time with rlimits and process groups")
}
