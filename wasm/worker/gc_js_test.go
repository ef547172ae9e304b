package worker

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"

	"lanes/core/demo"
	"lanes/core/report"
)

// BenchmarkGCPercent runs the connections demo's goroutines at its
// defaults (10,000 waits of 200 ms) in this one wasm instance, as a CPU
// worker does, with Go's default GOGC and with the workers' gcPercent,
// taking turns: the median wall of each, and how many collections ran
// during the run (watchMemory collects once before it).
func BenchmarkGCPercent(b *testing.B) {
	cfg, err := demo.Parse(map[string]string{"demo": "connections"})
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		walls := map[int][]float64{}
		gcs := map[int][]float64{}
		for range 3 {
			for _, pct := range []int{100, gcPercent} {
				old := debug.SetGCPercent(pct)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				run, err := demo.RunOne(context.Background(), demo.Env{Platform: report.Here("browser")}, cfg, "goroutines")
				runtime.ReadMemStats(&after)
				debug.SetGCPercent(old)
				if err != nil || run.Error != "" {
					b.Fatalf("GOGC=%d: %v %s", pct, err, run.Error)
				}
				walls[pct] = append(walls[pct], run.WallMs)
				gcs[pct] = append(gcs[pct], float64(after.NumGC-before.NumGC))
			}
		}
		for _, pct := range []int{100, gcPercent} {
			b.ReportMetric(median(walls[pct]), fmt.Sprintf("ms-gogc%d", pct))
			b.ReportMetric(median(gcs[pct]), fmt.Sprintf("gcs-gogc%d", pct))
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}
