//go:build !js

package strategy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/target"
	"lanes/core/workload"
)

// BenchmarkPhaseShare runs every demo natively at its defaults and
// reports, for the run of each whose tasks are most per millisecond of
// wall time, the share of its wall time that recording phases cost: its
// tasks times what recording costs a task (perTask), over its wall time,
// in percent (%wall). Run it once:
//
//	go test -run '^$' -bench PhaseShare -benchtime 1x ./core/strategy
func BenchmarkPhaseShare(b *testing.B) {
	cost := perTask(10_000)
	b.Logf("recording phases costs %v a task", cost)
	srv := httptest.NewServer(target.Handler())
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	env := demo.Env{
		Platform:   report.Here("native"),
		Runner:     workload.Runner{Client: workload.HTTP(&http.Client{Transport: tr})},
		TargetBase: srv.URL,
		Remote: func(k int) (remote.Pool, func(), error) {
			return remote.LendProcs(remote.WorkerCommand)(k)
		},
	}
	for _, d := range demo.All() {
		b.Run(d.ID, func(b *testing.B) {
			var share float64
			for b.Loop() {
				rep, err := demo.Run(context.Background(), env, d.Defaults())
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range rep.Runs {
					ms := float64(len(r.Tasks)) * cost.Seconds() * 1000
					share = max(share, 100*ms/r.WallMs)
				}
			}
			b.ReportMetric(share, "%wall")
		})
	}
}
