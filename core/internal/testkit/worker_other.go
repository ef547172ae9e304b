//go:build !js

package testkit

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/remote"
)

func mainIfWorker() { remote.MainIfWorker() }

// Procs returns a pool of k worker processes running this test binary
// (whose TestMain is Main), closed when the test ends.
func Procs(t *testing.T, k int) *remote.Procs {
	t.Helper()
	p := remote.NewProcs(k, remote.WorkerCommand)
	t.Cleanup(func() { assert.NoError(t, p.Close()) })
	return p
}
