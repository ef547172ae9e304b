//go:build !js

package claims

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/target"
	"lanes/core/workload"
)

// TestMain turns the test binary into a worker when a worker pool starts
// it as one.
func TestMain(m *testing.M) {
	remote.MainIfWorker()
	os.Exit(m.Run())
}

func BenchmarkClaims(b *testing.B) {
	srv := httptest.NewServer(target.Handler())
	defer srv.Close()
	env := demo.Env{
		Platform:   report.Here("native"),
		Runner:     workload.Runner{Client: workload.HTTP(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}})},
		TargetBase: srv.URL,
		Remote: func(k int) (remote.Pool, func(), error) {
			return remote.LendProcs(remote.WorkerCommand)(k)
		},
	}
	for _, d := range demo.All() {
		b.Run(d.ID, func(b *testing.B) {
			cfg := d.Defaults()
			cfg.Strategies = d.Strategies
			switch d.ID {
			case "cpu-sumsq", "cpu-primes", "skew":
				cfg.Runs = 5
			}
			for b.Loop() {
				rep, err := demo.Run(context.Background(), env, cfg)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range rep.Runs {
					unit := func(what string) string { return r.Strategy + "-" + what }
					b.ReportMetric(r.WallMs, unit("ms"))
					if r.Speedup > 0 && r.Strategy != "sequential" {
						b.ReportMetric(r.Speedup, unit("x"))
					}
					b.ReportMetric(r.Efficiency, unit("eff"))
					b.Logf("%s", r.Verdict)
				}
				if bad := d.Check(cfg, rep, 0.15); len(bad) > 0 {
					b.Errorf("claim: %s\nfails: %s", d.Claim(), strings.Join(bad, "; "))
				}
			}
		})
	}
}
