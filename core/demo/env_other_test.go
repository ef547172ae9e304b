//go:build !js

package demo_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/target"
	"lanes/core/workload"
)

// newEnv is a native environment: worker processes running this test
// binary, and the built-in targets on a loopback httptest server. Both go
// away when the test ends.
func newEnv(t *testing.T) demo.Env {
	t.Helper()
	srv := httptest.NewServer(target.Handler())
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	var pool *remote.Procs
	t.Cleanup(func() {
		if pool != nil {
			if err := pool.Close(); err != nil {
				t.Errorf("closing the worker processes: %v", err)
			}
		}
	})
	return demo.Env{
		Platform:   report.Here("native"),
		Runner:     workload.Runner{Client: workload.HTTP(&http.Client{Transport: tr})},
		TargetBase: srv.URL,
		Remote: func(k int) (remote.Pool, func(), error) {
			if pool == nil || pool.Size() < k {
				if pool != nil {
					pool.Close()
				}
				pool = remote.NewProcs(max(k, 3), remote.WorkerCommand)
			}
			return pool, func() {}, nil
		},
	}
}
