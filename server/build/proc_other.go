//go:build !unix

// Elsewhere than Unix the service is off: it has no rlimits or process
// groups to bound a build with.

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
