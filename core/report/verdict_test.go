package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestExpectedSpeedup(t *testing.T) {
	cases := []struct {
		n, lanes, capacity int
		want               float64
	}{
		{8, 2, 2, 2},       // 2 workers on 2 cores
		{8, 8, 2, 2},       // 8 goroutines share 2 cores
		{8, 8, 1, 1},       // 8 goroutines in one wasm instance
		{8, 3, 3, 8.0 / 3}, // 3 rounds on 3 lanes
		{3, 8, 2, 2},       // 3 goroutines on 2 cores: turns make it 2×
		{1, 4, 2, 1},
		{0, 2, 2, 1},
	}
	for _, c := range cases {
		run := report.Run{Workers: c.lanes, Capacity: c.capacity, Tasks: make([]report.Task, c.n)}
		assert.InDelta(t, c.want, run.ExpectedSpeedup(), 1e-9, "%d tasks on %d lanes, capacity %d", c.n, c.lanes, c.capacity)
	}
}
