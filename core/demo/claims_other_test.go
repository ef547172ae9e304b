//go:build !js

package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/internal/exact"
	"lanes/core/report"
)

// TestClaimsHoldAtDefaults runs every demo natively at its defaults with
// every strategy it has, and checks the claim its explanation makes. The
// CPU demos run three interleaved repeats and compare medians, with a
// margin of 40%: a speedup of 2× on 2 cores passes between 1.2× and 2.8×,
// 1× on one lane between 0.6× and 1.4×, so no claim holds by accident.
// Under the race detector the CPU work is a tenth of the default (the
// primes a fiftieth), and the connections a tenth (their lanes too, so
// the pool's rounds stay ten), which keeps each claim's shape: the
// detector makes starting a goroutine and recording its task cost 15 to
// 30 µs where the claim allows 20, and ten thousand of them left a busy
// machine no room.
//
// Timing claims hold only on a machine that lends the test its cores. When
// a claim fails in a report that shows why — runs whose tasks took much
// longer than alone, or repeats that ranged widely (report.Disturbed) —
// the demo runs again, up to four times; a claim that fails in a report
// with no such sign fails the test at once, except in a report of single
// runs (the waits' demos), which cannot show one: they run again with
// repeats first (holdsClaim). If the machine stays too busy the timing
// claims are skipped, saying so; the exact answers and the report's own
// arithmetic are checked every time.
func TestClaimsHoldAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every demo at its defaults")
	}
	env := newEnv(t)
	for _, d := range demo.All() {
		t.Run(d.ID, func(t *testing.T) {
			cfg := d.Defaults()
			cfg.Strategies = d.Strategies
			switch d.ID {
			case "connections":
				cfg.Runs = 3 // goroutines' one round is short: medians, and a spread that shows a disturbance
				if raceOn {
					cfg.Tasks /= 10
					cfg.K /= 10
				}
			case "cpu-sumsq", "cpu-primes", "skew":
				cfg.Runs = 3
				if raceOn {
					cfg.Size /= 10
					if d.ID == "cpu-primes" {
						cfg.Size /= 5 // the sieve suffers most under the detector
					}
				}
			}
			holdsClaim(t, d, cfg, func(cfg demo.Config) report.Report {
				rep, err := demo.Run(context.Background(), env, cfg)
				require.NoError(t, err)
				require.Len(t, rep.Runs, len(d.Strategies))
				checkExact(t, d, cfg, rep)
				return rep
			})
		})
	}
}

// checkExact checks what holds on any machine: no run failed, the cancel
// demo's runs were cut by its deadline, and the answers are exact.
func checkExact(t *testing.T, d *demo.Demo, cfg demo.Config, rep report.Report) {
	t.Helper()
	for _, r := range rep.Runs {
		if !r.Partial {
			assert.Empty(t, r.Error, r.Strategy)
		}
		assert.LessOrEqual(t, r.Efficiency, 1.0, r.Strategy)
		switch d.ID {
		case "cancel":
			assert.True(t, r.Partial, "%s: cut by the %v deadline", r.Strategy, cfg.Timeout)
		case "cpu-sumsq":
			assert.Equal(t, exact.SumSquaresBelow(uint64(cfg.Size)).String(), r.Result, r.Strategy)
		case "skew":
			assert.Equal(t, exact.SumSquaresBelow(uint64(cfg.Size)).String(), r.Result, r.Strategy)
		case "connections":
			assert.Equal(t, exact.SumSquaresBelow(uint64(cfg.Tasks)).String(), r.Result, r.Strategy)
		case "io-download":
			assert.Equal(t, "106710", r.Result, r.Strategy)
		}
	}
}
