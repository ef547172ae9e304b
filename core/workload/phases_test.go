package workload_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
	"lanes/core/workload"
)

// states checks that phases are a piece of work's phases — contiguous
// from 0, each state where it may be on a lane — and returns their states.
func states(t *testing.T, phases []report.Phase) []string {
	t.Helper()
	if len(phases) == 0 {
		return nil
	}
	end := phases[len(phases)-1].EndMs
	run := report.Run{Strategy: "work", Tasks: []report.Task{{Lane: 0, EndMs: end, DeliveredMs: end, Phases: phases}}}
	require.Empty(t, run.CheckPhases())
	var s []string
	for _, p := range phases {
		s = append(s, p.State)
	}
	return s
}

// stateMs is how long the phases spent in state.
func stateMs(phases []report.Phase, state string) float64 {
	ms := 0.0
	for _, p := range phases {
		if p.State == state {
			ms += p.EndMs - p.StartMs
		}
	}
	return ms
}

func TestRunRecordsPhases(t *testing.T) {
	const c, io = report.StateCompute, report.StateIOWait
	cases := []struct {
		name   string
		spec   workload.Spec
		states []string
	}{
		{"sumsq computes", workload.Spec{Kind: workload.KindSumSquares, Hi: 1_000_000}, []string{c}},
		{"primes compute", workload.Spec{Kind: workload.KindPrimes, Hi: 100_000}, []string{c}},
		{"a hash computes", workload.Spec{Kind: workload.KindHash, Body: []byte("abc"), Rounds: 1000}, []string{c}},
		{"a wait waits", workload.Spec{Kind: workload.KindWait, WaitMs: 30}, []string{io}},
		{"an unknown kind does nothing", workload.Spec{Kind: "juggle"}, nil},
		{"a bound broken before the work", workload.Spec{Kind: workload.KindSumSquares, Hi: workload.MaxSumSquaresHi + 1}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := workload.Runner{}.Run(context.Background(), tc.spec)
			assert.Equal(t, tc.states, states(t, out.Phases))
		})
	}
	out, err := workload.Runner{}.Run(context.Background(), workload.Spec{Kind: workload.KindWait, WaitMs: 30})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, stateMs(out.Phases, io), 29.0, "a timer never fires early")
}

func TestCutWorkKeepsItsPhases(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := workload.Runner{}.Run(ctx, workload.Spec{Kind: workload.KindWait, WaitMs: 60_000})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []string{report.StateIOWait}, states(t, out.Phases))
}
