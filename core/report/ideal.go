package report

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
)

// Finish fills in each run's Capacity, IdealMs, Losses, Speedup,
// Efficiency and Verdict. It can be called again as runs are added.
//
// IdealMs is a lower bound on the wall time of any schedule of the run's
// tasks on its capacity C (see Capacity):
//
//	ideal = max(the longest task's cost, Σ costs / C)
//
// No schedule beats the longest task, and C lanes working all the time
// need Σ/C. A task's cost is what it would take alone: the least, over the
// report's runs where it had a lane to itself, of its time on its lane, or
// when no run gave it one, the least of its share of the lanes — its time
// with k tasks in flight on C < k lanes counting C/k — and never less than
// its known I/O latency. In each run a task's cost is capped at its time
// there, and the costs at the capacity the run kept busy (Σ shares, scaled
// down to it when over), so the bound holds against the run's own record:
// busy capacity never exceeds C × wall and no task's time the wall, so
// ideal ≤ wall and efficiency ≤ 1 whatever the records say. Tasks that
// failed or were cut count with their share in their own run: a partial
// run is measured on the work it did.
//
// The rounds bound that downloads in the browser also obey (n downloads
// through 6 connections take ⌈n/6⌉ latencies) is left out on purpose: a run
// whose records share capacity fluidly can beat it, and a bound the record
// can contradict would let efficiency pass 100%.
//
// Losses splits wall − ideal (see Losses). Speedup is the "sequential" run's
// wall over this run's, the medians when the runs were repeated; it is 0,
// shown as "—", when either run is partial, and when it beats what the
// run's lanes allow for computing (beatsLimit): no figure can, so the
// sequential run was slowed — on a VM, often by the host slowing the
// guest's CPU (core/bench/steady) — and the verdict warns, with the ratio
// measured. Efficiency is ideal over wall.
func (r *Report) Finish() { new(Accountant).Finish(r) }

// An Accountant finishes a report again and again as its runs come in,
// as the page does after each strategy: it keeps each run's sweep (the
// most of Finish's time: 10 ms for a run of 10,000 tasks in the page's
// wasm), so each call sweeps only the runs new since the last. A run is
// the same while its tasks are the same slice, with the same wall time
// and capacity: a run's tasks must not change in place once it was
// finished (Fold and Summarize never do). The zero value is ready.
type Accountant struct {
	kept map[sweepKey]accounting // the runs of the last call
}

// sweepKey is what a run's sweep (account) depends on.
type sweepKey struct {
	tasks    *Task // the first, or nil
	n        int
	wall     float64
	capacity int
}

// Finish is Report.Finish, with the sweeps of the runs it finished last
// time kept.
func (acct *Accountant) Finish(r *Report) {
	acc := make([]accounting, len(r.Runs))
	kept := make(map[sweepKey]accounting, len(r.Runs))
	var best ByID[estimate] // task id → its cost, from the best evidence
	for _, run := range r.Runs {
		best.Expect(len(run.Tasks))
	}
	for i := range r.Runs {
		run := &r.Runs[i]
		run.Capacity = Capacity(r.Platform, *run)
		key := sweepKey{n: len(run.Tasks), wall: run.WallMs, capacity: run.Capacity}
		if key.n > 0 {
			key.tasks = &run.Tasks[0]
		}
		sweep, ok := acct.kept[key]
		if !ok {
			sweep = account(*run, run.Capacity)
		}
		acc[i], kept[key] = sweep, sweep
		for j, t := range run.Tasks {
			if t.Error != "" || !acc[i].ran[j] {
				continue
			}
			e := estimate{acc[i].share[j], !acc[i].shared[j]}
			if old, ok := best.Get(t.ID); !ok || e.better(old) {
				best.Put(t.ID, e)
			}
		}
	}
	for i := range r.Runs {
		run := &r.Runs[i]
		a := acc[i]
		costs := make([]float64, 0, len(run.Tasks))
		for j, t := range run.Tasks {
			if !a.ran[j] {
				continue
			}
			c := a.share[j] // a cut or failed task: the work it did
			if b, ok := best.Get(t.ID); ok && t.Error == "" {
				c = min(a.took[j], max(b.ms, t.LatencyMs))
			}
			costs = append(costs, c)
		}
		ideal, losses := a.split(costs)
		run.IdealMs, run.Losses = ideal, &losses
		run.Speedup, run.Efficiency = 0, 0
		if a.wall > 0 {
			run.Efficiency = math.Min(1, round3(run.IdealMs/run.WallMs))
			run.Speedup = r.ratio(*run)
			if run.beatsLimit(run.Speedup) {
				run.Speedup = 0 // impossible: the baseline was slowed (Verdict says so)
			}
		}
	}
	for i := range r.Runs {
		r.Runs[i].Verdict = Verdict(*r, r.Runs[i])
	}
	acct.kept = kept
}

// An estimate of a task's cost alone: its share in one run, and whether it
// ran there alone on its lane (never with more tasks than capacity).
type estimate struct {
	ms    float64
	alone bool
}

// better reports whether e is better evidence of the cost alone than old:
// a run where the task had a lane to itself beats one where it shared
// (a share assumes fair turns, which schedulers do not promise); among
// equals, the least, since anything else that ran only slowed it.
func (e estimate) better(old estimate) bool {
	if e.alone != old.alone {
		return e.alone
	}
	return e.ms < old.ms
}

// Makespan is the finishing time of longest-first list scheduling of costs
// on lanes lanes: each task, longest first, goes to the lane that frees up
// first. It is within 4/3 of the best possible schedule, and so not a
// lower bound (3, 3, 2, 2, 2 on 2 lanes: 7, where 6 is possible); Finish
// uses a bound instead. O(n log n).
func Makespan(costs []float64, lanes int) float64 {
	if lanes < 1 {
		lanes = 1
	}
	sorted := slices.Clone(costs)
	slices.SortFunc(sorted, func(a, b float64) int { return -cmp.Compare(a, b) })
	load := make(minHeap, min(lanes, max(len(sorted), 1)))
	var most float64
	for _, c := range sorted {
		load[0] += c
		most = math.Max(most, load[0])
		heap.Fix(&load, 0)
	}
	return most
}

// minHeap is a heap of lane loads, least on top.
type minHeap []float64

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
