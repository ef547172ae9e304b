package site

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestTimeline(t *testing.T) {
	run := report.Run{Strategy: "workers", WallMs: 40, Tasks: []report.Task{
		{ID: 0, Lane: 0, StartMs: 0, EndMs: 20, DeliveredMs: 21, Value: "1"},
		{ID: 1, Lane: 1, StartMs: 5, EndMs: 30, DeliveredMs: 31, Value: "2"},
		{ID: 2, Lane: 0, StartMs: 20, EndMs: 35, DeliveredMs: 36, Error: "boom"},
		{ID: 3, Lane: -1, StartMs: 40, EndMs: 40, Error: "not started: context canceled"},
	}}
	svg := Timeline(run, 0, WideTimeline)
	assert.True(t, strings.HasPrefix(svg, `<svg class="timeline"`))
	assert.Equal(t, 3, strings.Count(svg, `<rect class="bar`), "no bar for a task that never ran")
	assert.Equal(t, 1, strings.Count(svg, `class="bar failed"`))
	assert.Equal(t, 3, strings.Count(svg, `class="delivered"`))
	assert.Contains(t, svg, "max 2", "two tasks in flight at most")
	assert.Contains(t, svg, `aria-label="Timeline of workers: 3 tasks on 2 lanes over 40.0 ms"`)
	assert.Contains(t, svg, "task 2 on lane 0: 20.0–35.0 ms, delivered at 36.0 ms; boom")
	assert.NotContains(t, Timeline(report.Run{Strategy: `<x>`}, 0, NarrowTimeline), "<x>", "text is escaped")
}

func TestInFlight(t *testing.T) {
	pts, most := inFlight([]report.Task{{StartMs: 0, EndMs: 10}, {StartMs: 10, EndMs: 20}, {StartMs: 5, EndMs: 15}})
	assert.Equal(t, 2, most)
	assert.Equal(t, []flightPoint{{0, 1}, {5, 2}, {10, 2}, {15, 1}, {20, 0}}, pts)
}

func TestNiceStepAndFormat(t *testing.T) {
	assert.Equal(t, 20.0, niceStep(13))
	assert.Equal(t, 0.5, niceStep(0.31))
	assert.Equal(t, 1000.0, niceStep(700))
	assert.Equal(t, "250 ms", tickLabel(250))
	assert.Equal(t, "1.5 s", tickLabel(1500))
	assert.Equal(t, "12.5 ms", FormatMs(12.5))
	assert.Equal(t, "1.94×", FormatRatio(1.94))
	assert.Equal(t, "90%", FormatPercent(0.9))
}

// BenchmarkTimeline10k draws 10,000 goroutines' tasks, one lane each: the
// size at which a per-lane scan for every task (10⁸ steps) showed.
func BenchmarkTimeline10k(b *testing.B) {
	run := report.Run{Strategy: "goroutines", WallMs: 100}
	for i := range 10_000 {
		run.Tasks = append(run.Tasks, report.Task{ID: i, Lane: i, StartMs: float64(i % 7), EndMs: 90 + float64(i%5), DeliveredMs: 95})
	}
	for b.Loop() {
		Timeline(run, 0, WideTimeline)
	}
}
