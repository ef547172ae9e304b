package report_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

func TestMemorySummary(t *testing.T) {
	cases := []struct {
		name string
		m    report.Memory
		want string
	}{
		{"nothing measured", report.Memory{}, ""},
		{"goroutines alone, as in a browser", report.Memory{Goroutines: 10_000, GoroutineStackBytes: 2048},
			"10000 goroutines at once: 2.0 KiB of stack each (19.5 MiB)"},
		{"threads alone, too few goroutines", report.Memory{Threads: 100, ThreadRSSBytes: 15 << 10, ThreadKernelBytes: 20 << 10},
			"an OS thread: 35.0 KiB (15.0 KiB resident, 20.0 KiB in the kernel), over 100 threads"},
		{"both", report.Memory{Goroutines: 10_000, GoroutineStackBytes: 4096, Threads: 99,
			ThreadRSSBytes: 15 << 10, ThreadKernelBytes: 20 << 10, ThreadReservedBytes: 8 << 20},
			"10000 goroutines at once: 4.0 KiB of stack each (39.1 MiB); an OS thread: 35.0 KiB (15.0 KiB " +
				"resident, 20.0 KiB in the kernel) and 8.0 MiB of address space, over 99 threads"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.m.Summary())
		})
	}
}

func TestFormatBytes(t *testing.T) {
	for b, want := range map[float64]string{0: "0 B", 512: "512 B", 2048: "2.0 KiB", 19.5 * (1 << 20): "19.5 MiB", 3 << 30: "3.0 GiB"} {
		assert.Equal(t, want, report.FormatBytes(b))
	}
}

// A run's memory is additive to lanes.report/v1: absent when not
// measured, and each figure it has under its name.
func TestMemoryInTheReport(t *testing.T) {
	data, err := json.Marshal(report.Run{Strategy: "pool"})
	require.NoError(t, err)
	assert.NotContains(t, string(data), "memory")
	data, err = json.Marshal(report.Run{Strategy: "goroutines", Memory: &report.Memory{Goroutines: 3, GoroutineStackBytes: 2048}})
	require.NoError(t, err)
	assert.Contains(t, string(data), `"memory":{"goroutines":3,"goroutine_stack_bytes":2048}`)
	var back report.Run
	require.NoError(t, json.Unmarshal(data, &back))
	require.NotNil(t, back.Memory)
	assert.Equal(t, 2048.0, back.Memory.GoroutineStackBytes)
}
