package report_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestMakespan(t *testing.T) {
	// Each worked out by hand: longest first, each to the least loaded lane.
	cases := []struct {
		costs []float64
		lanes int
		want  float64
	}{
		{nil, 1, 0},
		{nil, 4, 0},
		{[]float64{5}, 1, 5},
		{[]float64{5}, 0, 5},  // no lanes means one
		{[]float64{5}, -3, 5}, // likewise
		{[]float64{5}, 8, 5},  // more lanes than tasks
		{[]float64{1, 2, 3}, 1, 6},
		{[]float64{1, 2, 3}, 3, 3},
		{[]float64{3, 3, 2, 2, 2}, 2, 7}, // LPT: 3|3, 5|3, 5|5, 7|5 (the best is 6)
		{[]float64{2, 2, 2, 3, 3}, 2, 7}, // order of the input does not matter
		{[]float64{7, 1, 1, 1, 1, 1, 1, 1}, 2, 7},
		{[]float64{4, 4, 4, 4}, 3, 8},
		{[]float64{10, 0, 0}, 2, 10},
		{[]float64{1.5, 2.25, 0.25}, 2, 2.25},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v on %d", c.costs, c.lanes), func(t *testing.T) {
			in := append([]float64(nil), c.costs...)
			assert.Equal(t, c.want, report.Makespan(c.costs, c.lanes))
			assert.Equal(t, in, c.costs, "costs left as they were")
		})
	}
}

func task(id int, start, end float64) report.Task {
	return report.Task{ID: id, StartMs: start, EndMs: end, Value: "1"}
}

func TestFinish(t *testing.T) {
	rep := report.Report{Runs: []report.Run{
		{Strategy: "sequential", Workers: 1, WallMs: 100, Tasks: []report.Task{
			task(0, 0, 40), task(1, 40, 70), task(2, 70, 90), task(3, 90, 100),
		}},
		{Strategy: "workers", Workers: 2, WallMs: 80, Tasks: []report.Task{
			// Task 0 was quicker here (35 < 40): the least of the runs counts.
			task(0, 10, 45), task(1, 10, 50), task(2, 45, 70), task(3, 50, 62),
		}},
		{Strategy: "goroutines", Workers: 4, WallMs: 0, Tasks: []report.Task{
			task(0, 0, 50), task(1, 0, 50), task(2, 0, 50), task(3, 0, 50),
		}},
	}}
	rep.Finish()
	// Costs: 35, 30, 20, 10. One lane: 95. Two: 35+10 | 30+20 = 50.
	seq, workers, gor := rep.Runs[0], rep.Runs[1], rep.Runs[2]
	assert.Equal(t, 95.0, seq.IdealMs)
	assert.Equal(t, 1.0, seq.Speedup)
	assert.Equal(t, 0.95, seq.Efficiency)
	assert.Equal(t, 50.0, workers.IdealMs)
	assert.Equal(t, 1.25, workers.Speedup) // 100 / 80
	assert.Equal(t, 0.625, workers.Efficiency)
	assert.Equal(t, 35.0, gor.IdealMs)
	assert.Zero(t, gor.Speedup, "no wall time, no ratio")
	assert.Zero(t, gor.Efficiency)
}

func TestFinishFloorsAndFailures(t *testing.T) {
	rep := report.Report{Runs: []report.Run{
		{Strategy: "pool", Workers: 2, WallMs: 30, Tasks: []report.Task{
			{ID: 0, StartMs: 0, EndMs: 1, LatencyMs: 20, Value: "1"},  // a known latency is a floor
			{ID: 1, StartMs: 0, EndMs: 25, LatencyMs: 20, Value: "1"}, // above the floor
			{ID: 2, StartMs: 0, EndMs: 2, Error: "boom"},              // failed: no evidence of cost
		}},
		{Strategy: "semaphore", Workers: 1, WallMs: 60, Tasks: []report.Task{
			{ID: 0, StartMs: 0, EndMs: 22, LatencyMs: 20, Value: "1"},
			{ID: 1, StartMs: 22, EndMs: 44, LatencyMs: 20, Value: "1"},
			{ID: 2, StartMs: 44, EndMs: 47, Error: "cut"}, // unfinished here: not counted here
		}},
	}}
	rep.Finish()
	// Costs: task 0 max(1, 20) = 20 (less than 22); task 1 min(25, 22) = 22.
	assert.Equal(t, 22.0, rep.Runs[0].IdealMs)
	assert.Equal(t, 42.0, rep.Runs[1].IdealMs)
	assert.Equal(t, 0.733, rep.Runs[0].Efficiency, "rounded to three places")
	assert.Equal(t, 0.7, rep.Runs[1].Efficiency)
	assert.Zero(t, rep.Runs[0].Speedup, "no sequential run to compare with")

	// Finishing again gives the same figures.
	again := rep
	again.Runs = append([]report.Run(nil), rep.Runs...)
	again.Finish()
	assert.Equal(t, rep.Runs, again.Runs)
}
