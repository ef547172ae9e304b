package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestSummarize(t *testing.T) {
	run := func(wall float64) report.Run {
		return report.Run{Strategy: "pool", WallMs: wall, Tasks: []report.Task{{ID: 0, EndMs: wall}}}
	}
	cases := []struct {
		name   string
		walls  []float64
		median float64 // the wall of the run shown
		spread *report.Spread
	}{
		{"one run is left as it is", []float64{30}, 30, nil},
		{"two: the faster", []float64{30, 20}, 20, &report.Spread{MinMs: 20, MaxMs: 30}},
		{"three", []float64{30, 10, 20}, 20, &report.Spread{MinMs: 10, MaxMs: 30}},
		{"four: the faster of the middle two", []float64{40, 10, 30, 20}, 20, &report.Spread{MinMs: 10, MaxMs: 40}},
		{"five with an outlier", []float64{100, 101, 99, 500, 98}, 100, &report.Spread{MinMs: 98, MaxMs: 500}},
		{"ties", []float64{5, 5, 5}, 5, &report.Spread{MinMs: 5, MaxMs: 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var repeats []report.Run
			for _, w := range c.walls {
				repeats = append(repeats, run(w))
			}
			got := report.Summarize(repeats)
			assert.Equal(t, c.median, got.WallMs)
			assert.Equal(t, c.median, got.Tasks[0].EndMs, "the median repeat's own timeline")
			assert.Equal(t, c.spread, got.Spread)
			assert.Equal(t, len(c.walls), got.Repeats())
			if len(c.walls) > 1 {
				assert.Equal(t, c.walls, got.WallsMs, "every repeat, in the order run")
			} else {
				assert.Nil(t, got.WallsMs)
			}
		})
	}
	assert.PanicsWithValue(t, "report: Summarize of no runs", func() { report.Summarize(nil) })
}

func TestFold(t *testing.T) {
	run := func(s string, wall float64) report.Run { return report.Run{Strategy: s, WallMs: wall} }
	got := report.Fold([]report.Run{
		run("sequential", 100), run("workers", 60),
		run("workers", 50), run("sequential", 90),
		run("sequential", 120), run("workers", 55),
	})
	assert.Len(t, got, 2)
	assert.Equal(t, "sequential", got[0].Strategy, "in the order each first ran")
	assert.Equal(t, 100.0, got[0].WallMs)
	assert.Equal(t, []float64{100, 90, 120}, got[0].WallsMs)
	assert.Equal(t, "workers", got[1].Strategy)
	assert.Equal(t, 55.0, got[1].WallMs)
	assert.Equal(t, []float64{60, 50, 55}, got[1].WallsMs)
	assert.Empty(t, report.Fold(nil))
	assert.Equal(t, []report.Run{run("pool", 7)}, report.Fold([]report.Run{run("pool", 7)}))
}
