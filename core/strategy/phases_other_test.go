//go:build !js

package strategy_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/target"
	"lanes/core/workload"
)

func TestHybridDownloadsThenComputes(t *testing.T) {
	srv := httptest.NewServer(target.Handler())
	defer srv.Close()
	url := srv.URL + target.URL("page", 5000, 40*time.Millisecond)
	tasks := []strategy.Task{
		{ID: 0, Spec: workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 200}},
		{ID: 1, Spec: workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 200}},
	}
	opt := options(t, strategy.Hybrid, 1, workload.Runner{})
	run, order := delivered(context.Background(), strategy.Hybrid, tasks, opt)
	require.Empty(t, run.Error)
	checkTimeline(t, strategy.Hybrid, 1, tasks, run, order)
	for _, rec := range run.Tasks {
		want := []string{report.StateQueued, report.StateIOWait, report.StateTransfer, report.StateDispatch, report.StateCompute}
		assert.Equal(t, want, states(rec)[:5], "task %d", rec.ID)
		assert.GreaterOrEqual(t, stateMs(rec, report.StateIOWait), 39.0, "task %d: the target's delay", rec.ID)
	}
}
