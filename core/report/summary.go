package report

import (
	"cmp"
	"slices"
)

// Summarize folds the repeats of one strategy's run, in the order they
// ran, into the run a report shows: the median repeat by wall time (of an
// even number, the faster of the middle two), so its timeline is one that
// really happened, with WallsMs listing every repeat's wall time in order
// and Spread their range. A single run comes back as it is. Summarize
// leaves the figures Finish computes alone; call Finish on the report
// after. It panics on no repeats.
func Summarize(repeats []Run) Run {
	if len(repeats) == 0 {
		panic("report: Summarize of no runs")
	}
	if len(repeats) == 1 {
		return repeats[0]
	}
	walls := make([]float64, len(repeats))
	idx := make([]int, len(repeats))
	for i, r := range repeats {
		walls[i], idx[i] = r.WallMs, i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(walls[a], walls[b]) })
	run := repeats[idx[(len(idx)-1)/2]]
	run.WallsMs = walls
	run.Spread = &Spread{MinMs: walls[idx[0]], MaxMs: walls[idx[len(idx)-1]]}
	return run
}

// Repeats is how many times the run was repeated: 1 unless it summarises
// several.
func (r Run) Repeats() int { return max(len(r.WallsMs), 1) }

// Fold summarises a list of runs in the order they ran, repeats of several
// strategies interleaved, into one run per strategy (see Summarize), in
// the order each strategy first ran. A page that runs the repeats itself
// can keep every run and fold them after each one.
func Fold(runs []Run) []Run {
	var order []string
	repeats := map[string][]Run{}
	for _, r := range runs {
		if _, ok := repeats[r.Strategy]; !ok {
			order = append(order, r.Strategy)
		}
		repeats[r.Strategy] = append(repeats[r.Strategy], r)
	}
	folded := make([]Run, 0, len(order))
	for _, s := range order {
		folded = append(folded, Summarize(repeats[s]))
	}
	return folded
}
