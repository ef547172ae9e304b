package report_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

func TestDesignExampleRoundTrips(t *testing.T) {
	// testdata/design.json is design.md's example report (with a race run
	// added): the field names are a contract.
	data, err := os.ReadFile("testdata/design.json")
	require.NoError(t, err)
	var rep report.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, report.Schema, rep.Schema)
	assert.Equal(t, "lanes.report/v1", report.Schema)
	require.Len(t, rep.Runs, 2)
	assert.Equal(t, "333333328333333350000000", rep.Runs[0].Result)
	assert.Equal(t, 1, rep.Runs[0].Tasks[0].Lane)
	assert.Equal(t, "Mozilla/5.0", rep.Platform.UserAgent)
	assert.Equal(t, 2.5, rep.Runs[1].Tasks[0].LatencyMs)

	assert.Equal(t, 2, rep.Runs[0].Lanes, "a first-version report's workers are its lanes")

	back, err := json.Marshal(rep)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(back, &doc))
	for _, r := range doc["runs"].([]any) {
		run := r.(map[string]any)
		assert.Equal(t, run["workers"], run["lanes"], "lanes is added beside workers, equal")
		delete(run, "lanes")
	}
	back, err = json.Marshal(doc)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(back), "nothing lost, nothing added but lanes")
}

func TestReportRoundTrips(t *testing.T) {
	// Params hold what JSON gives back (float64, string, []any), so the
	// whole report compares equal after the trip.
	rep := report.Report{
		Schema:   report.Schema,
		Demo:     "cancel",
		Platform: report.Here("native"),
		Params:   map[string]any{"tasks": 3.0, "timeout_ms": 500.0, "targets": []any{"http://127.0.0.1:1/t/x"}},
		Runs: []report.Run{{
			Strategy: "pool", Lanes: 2, WallMs: 500.125, IdealMs: 400, Speedup: 1.5, Efficiency: 0.8,
			Result: "340282366920938463463374607431768211455", Partial: true, Error: "",
			Tasks: []report.Task{
				{ID: 0, Lane: 1, StartMs: 0.001, EndMs: 10.5, DeliveredMs: 10.75, Bytes: 1 << 40, Value: "340282366920938463463374607431768211455"},
				{ID: 1, Lane: -1, StartMs: 500, EndMs: 500, DeliveredMs: 500.1, Error: "not started: context deadline exceeded"},
			},
		}},
	}
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	var back report.Report
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, rep, back)

	// Results and values travel as decimal strings, never as numbers.
	var raw struct {
		Runs []struct {
			Result json.RawMessage `json:"result"`
			Tasks  []struct {
				Value json.RawMessage `json:"value"`
			} `json:"tasks"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.Equal(t, `"340282366920938463463374607431768211455"`, string(raw.Runs[0].Result))
	assert.Equal(t, `"340282366920938463463374607431768211455"`, string(raw.Runs[0].Tasks[0].Value))
	assert.Equal(t, `""`, string(raw.Runs[0].Tasks[1].Value))
}

func TestHere(t *testing.T) {
	p := report.Here("browser")
	assert.Equal(t, "browser", p.Kind)
	assert.Equal(t, runtime.Version(), p.Go)
	assert.Equal(t, runtime.GOOS, p.OS)
	assert.Equal(t, runtime.GOARCH, p.Arch)
	assert.Equal(t, runtime.NumCPU(), p.CPUs)
	assert.Equal(t, runtime.GOMAXPROCS(0), p.GOMAXPROCS)
}

func TestLanes(t *testing.T) {
	run := report.Run{Tasks: []report.Task{{Lane: 0}, {Lane: 2}, {Lane: 0}, {Lane: -1}}}
	assert.Equal(t, 3, run.LanesSeen())
	assert.Equal(t, 0, report.Run{}.LanesSeen())
	// Against a set of the lanes, numbered from 0 up or oddly.
	rng := rand.New(rand.NewPCG(5, 6))
	for _, top := range []int{1, 10, 5000, 1 << 40} {
		for range 20 {
			var run report.Run
			want := map[int]bool{}
			for range rng.IntN(300) {
				l := rng.IntN(min(top, 1<<20)) - 1
				if top > 1<<20 && rng.IntN(10) == 0 {
					l = rng.IntN(top) - top/2
				}
				run.Tasks = append(run.Tasks, report.Task{Lane: l})
				want[l] = true
			}
			assert.Equal(t, len(want), run.LanesSeen(), "lanes up to %d", top)
		}
	}
	assert.Equal(t, 2.5, report.Task{StartMs: 1, EndMs: 3.5}.Cost())
}
