//go:build !js && !linux

package remote

import "os/exec"

// startWorker starts cmd. Without a parent-death signal here, a worker
// learns of its parent's death from the end of its input (MainIfWorker).
func startWorker(cmd *exec.Cmd) (release func(), err error) {
	return func() {}, cmd.Start()
}
