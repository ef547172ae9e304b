package report

import (
	"math"
	"sort"
)

// Finish fills in each run's IdealMs, Speedup and Efficiency.
//
// A task's cost is the shortest time any run of the report took for it (the
// best evidence of what it costs alone), and never less than its known I/O
// latency. IdealMs is the makespan of longest-first list scheduling of those
// costs on the run's Workers lanes, counting only the tasks the run
// finished, so a partial run is measured on the work it did. Speedup is against the report's
// "sequential" run when there is one; efficiency is ideal over wall.
func (r *Report) Finish() {
	cost := map[int]float64{}
	for _, run := range r.Runs {
		for _, t := range run.Tasks {
			if t.Error != "" {
				continue
			}
			c := math.Max(t.Cost(), t.LatencyMs)
			if old, ok := cost[t.ID]; !ok || c < old {
				cost[t.ID] = c
			}
		}
	}
	var seq *Run
	for i := range r.Runs {
		if r.Runs[i].Strategy == "sequential" {
			seq = &r.Runs[i]
		}
	}
	for i := range r.Runs {
		run := &r.Runs[i]
		var costs []float64
		for _, t := range run.Tasks {
			if c, ok := cost[t.ID]; ok && t.Error == "" {
				costs = append(costs, c)
			}
		}
		run.IdealMs = round3(Makespan(costs, run.Workers))
		run.Speedup, run.Efficiency = 0, 0
		if run.WallMs > 0 {
			run.Efficiency = round3(run.IdealMs / run.WallMs)
			if seq != nil {
				run.Speedup = round3(seq.WallMs / run.WallMs)
			}
		}
	}
}

// Makespan is the finishing time of longest-first list scheduling of costs
// on lanes lanes: each task, longest first, goes to the lane that frees up
// first. It is within 4/3 of the best possible schedule.
func Makespan(costs []float64, lanes int) float64 {
	if lanes < 1 {
		lanes = 1
	}
	sorted := append([]float64(nil), costs...)
	sort.Sort(sort.Reverse(sort.Float64Slice(sorted)))
	load := make([]float64, min(lanes, max(len(sorted), 1)))
	for _, c := range sorted {
		least := 0
		for j := range load {
			if load[j] < load[least] {
				least = j
			}
		}
		load[least] += c
	}
	var most float64
	for _, l := range load {
		most = math.Max(most, l)
	}
	return most
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
