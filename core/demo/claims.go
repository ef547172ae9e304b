package demo

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"lanes/core/internal/exact"
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// A claim is the lesson a demo's explanation makes, written as a check over
// a finished report of the demo run with cfg. It returns what in the report
// contradicts the lesson, nothing when the lesson shows. margin widens
// every timing bound: 0 checks the claim as stated, 0.1 as a benchmark on
// a quiet machine, 0.4 and more as a test on a busy one. A claim only
// judges the runs the report has; exact answers hold at any margin.
type claim func(cfg Config, rep report.Report, margin float64) []string

// Claim says in words what Check checks of the demo's runs.
func (d *Demo) Claim() string { return claims[d.ID].text }

// Check returns what in rep, a finished report of this demo run with cfg,
// contradicts the demo's claim (see Claim) or the report's own
// arithmetic: efficiency at most 1, the ideal and the losses adding up to
// the wall time, and each task's phases following their rules
// (report.Run.CheckPhases). margin widens the timing bounds (see claim).
func (d *Demo) Check(cfg Config, rep report.Report, margin float64) []string {
	var bad []string
	for _, r := range rep.Runs {
		if r.Efficiency > 1 || r.IdealMs > r.WallMs {
			bad = append(bad, fmt.Sprintf("%s: ideal %.1f ms above the wall %.1f ms", r.Strategy, r.IdealMs, r.WallMs))
		}
		if l := r.Losses; l != nil && math.Abs(r.IdealMs+l.StartupMs+l.DispatchMs+l.ImbalanceMs+l.ContentionMs-r.WallMs) > 0.01 {
			bad = append(bad, fmt.Sprintf("%s: ideal and losses do not add up to the wall", r.Strategy))
		}
		bad = append(bad, r.CheckPhases()...)
	}
	if c, ok := claims[d.ID]; ok {
		bad = append(bad, c.check(cfg, rep, margin)...)
	}
	return bad
}

var claims = map[string]struct {
	text  string
	check claim
}{
	"io-download": {"every strategy takes about ⌈tasks / lanes in flight⌉ latencies: sequential N, goroutines one " +
		"(in a browser, ⌈N/6⌉: six connections to a host)", downloadClaim},
	"connections": {"goroutines take about one latency, a pool or semaphore of K about ⌈tasks / K⌉ latencies, " +
		"each plus at most 20 µs a task to start it and hand over its result (in a browser, 50 µs); every answer exact (Σ k²)", connectionsClaim},
	"cpu-sumsq": {"over sequential, a strategy is as fast as the lanes that can run at once allow: goroutines ≈ 1× " +
		"in one wasm instance and ≈ min(tasks, cores)× natively; workers(K) ≈ min(K, cores)×", cpuClaim},
	"cpu-primes": {"over sequential, as in cpu-sumsq, a strategy is as fast as the lanes that can run at once " +
		"allow", cpuClaim},
	"order": {"as-completed delivers its first result well before ordered does (at most 3/4 of the time)", orderClaim},
	"skew": {"the static partition leaves a lane idle for a third of its run or more and is slower than the " +
		"dynamic pool, which leaves no lane idle for even half as long", skewClaim},
	"pipeline": {"the hybrid takes at most half the time of sequential", pipelineClaim},
	"race": {"mutex, atomic and channel lose no update; unsafe may lose some; result + lost = expected = " +
		"tasks × size", raceClaim},
	"cancel": {"each finished task keeps its exact value, the others are reported cut, and the result is partial, " +
		"the sum of the finished values", cancelClaim},
}

// byStrategy returns the report's run of the strategy, or nil.
func byStrategy(rep report.Report, id string) *report.Run {
	for i := range rep.Runs {
		if rep.Runs[i].Strategy == id {
			return &rep.Runs[i]
		}
	}
	return nil
}

// whole reports whether the run finished every task without error.
func whole(r *report.Run) bool { return r != nil && !r.Partial && r.Error == "" }

func cpuClaim(cfg Config, rep report.Report, m float64) []string {
	seq := byStrategy(rep, strategy.Sequential)
	if !whole(seq) {
		return nil
	}
	var bad []string
	for _, r := range rep.Runs {
		if r.Strategy == strategy.Sequential || !whole(&r) {
			continue
		}
		want, got := r.ExpectedSpeedup(), seq.WallMs/r.WallMs // the ratio, even where Speedup is withheld
		if got < want*(1-m) || got > want*(1+m) {
			bad = append(bad, fmt.Sprintf("%s: %.2f× sequential, want %.2f× (within %.0f%%: %d lanes can run at once)",
				r.Strategy, got, want, 100*m, r.Capacity))
		}
	}
	return bad
}

func downloadClaim(cfg Config, rep report.Report, m float64) []string {
	if len(cfg.Targets) > 0 || cfg.Latency <= 0 {
		return nil // latencies unknown
	}
	lat := report.Ms(cfg.Latency)
	var bad []string
	for _, r := range rep.Runs {
		if !whole(&r) {
			continue
		}
		c := max(r.Capacity, 1)
		want := float64((cfg.Tasks+c-1)/c) * lat
		// The latency is a floor; above it, transfer and dispatch take a
		// few milliseconds a round.
		if r.WallMs < want*0.98 || r.WallMs > want*(1+m)+10+100*m {
			bad = append(bad, fmt.Sprintf("%s: %.1f ms, want about %.0f ms (%d rounds of %.0f ms)",
				r.Strategy, r.WallMs, want, (cfg.Tasks+c-1)/c, lat))
		}
	}
	return bad
}

// connectionCost is the most a task of the connections demo may add to a
// run beyond its rounds of latency, in ms: starting its goroutine and its
// timer, recording it and handing over its result. Measured with 10,000
// tasks: about 4 µs natively, 10 to 25 µs in one wasm instance (Node),
// 15 to 25 µs under the race detector. In a Web Worker in Chromium,
// starting them is slower: the last of 10,000 goroutines started 238–283
// ms into the run (24–28 µs each) and the run ended 300–320 ms after it,
// 500–600 ms in all (BenchmarkClaims, fresh profiles, 2 Dec 2026), so
// browserConnectionCost is what a browser's run is allowed.
const (
	connectionCost        = 0.020
	browserConnectionCost = 0.050
)

// connectionsClaim checks that every answer is exact — task k answers k²,
// the run Σ k² by the closed form (package exact) — and that each run
// took its ⌈tasks / lanes in flight⌉ rounds of latency: not less (a wait
// never ends early), and not more than the margin and connectionCost a
// task allow.
func connectionsClaim(cfg Config, rep report.Report, m float64) []string {
	lat := report.Ms(cfg.Latency)
	want := exact.SumSquaresBelow(uint64(cfg.Tasks)).String()
	var bad []string
	for _, r := range rep.Runs {
		if !whole(&r) {
			continue
		}
		if r.Result != want {
			bad = append(bad, fmt.Sprintf("%s: result %s, want Σ k² = %s", r.Strategy, r.Result, want))
		}
		for _, t := range r.Tasks {
			if k := uint64(t.ID); t.Value != strconv.FormatUint(k*k, 10) {
				bad = append(bad, fmt.Sprintf("%s: task %d answered %q, want %d", r.Strategy, t.ID, t.Value, k*k))
				break
			}
		}
		c := max(r.Capacity, 1)
		rounds := (cfg.Tasks + c - 1) / c
		floor := float64(rounds) * lat
		cost := connectionCost
		if rep.Platform.Kind == "browser" {
			cost = browserConnectionCost
		}
		most := (floor+float64(cfg.Tasks)*cost)*(1+m) + 10
		if r.WallMs < floor*0.98 || r.WallMs > most {
			bad = append(bad, fmt.Sprintf("%s: %.1f ms, want %d rounds of %.0f ms, at most %.0f ms",
				r.Strategy, r.WallMs, rounds, lat, most))
		}
	}
	return bad
}

// firstDelivery is when the run handed over its first result.
func firstDelivery(r *report.Run) float64 {
	first := math.Inf(1)
	for _, t := range r.Tasks {
		if t.Error == "" {
			first = math.Min(first, t.DeliveredMs)
		}
	}
	return first
}

func orderClaim(cfg Config, rep report.Report, m float64) []string {
	ordered, asCompleted := byStrategy(rep, "ordered"), byStrategy(rep, "as-completed")
	if !whole(ordered) || !whole(asCompleted) || cfg.Tasks < 2 || cfg.K < 2 {
		return nil
	}
	o, a := firstDelivery(ordered), firstDelivery(asCompleted)
	if a > o*(0.75+m/4) {
		return []string{fmt.Sprintf("as-completed's first result at %.1f ms, ordered's at %.1f ms: want well before", a, o)}
	}
	return nil
}

func skewClaim(cfg Config, rep report.Report, m float64) []string {
	part, pool := byStrategy(rep, strategy.Partition), byStrategy(rep, strategy.Pool)
	if !whole(part) || cfg.K < 2 {
		return nil
	}
	var bad []string
	ps, _ := part.IdleShare()
	if ps < (1-m)/3 {
		bad = append(bad, fmt.Sprintf("partition left no lane idle for long: %.0f%% of the run at most", 100*ps))
	}
	if whole(pool) {
		qs, _ := pool.IdleShare()
		if qs > ps*(0.5+m/2) {
			bad = append(bad, fmt.Sprintf("pool left a lane idle %.0f%% of its run, partition %.0f%%", 100*qs, 100*ps))
		}
		if pool.WallMs > part.WallMs*(1+m/2) {
			bad = append(bad, fmt.Sprintf("pool took %.1f ms, partition %.1f ms: want pool faster", pool.WallMs, part.WallMs))
		}
	}
	return bad
}

func pipelineClaim(cfg Config, rep report.Report, m float64) []string {
	seq, hybrid := byStrategy(rep, strategy.Sequential), byStrategy(rep, strategy.Hybrid)
	if !whole(seq) || !whole(hybrid) || cfg.Tasks < 2 {
		return nil
	}
	if hybrid.WallMs > seq.WallMs*(0.5+m/2) {
		return []string{fmt.Sprintf("hybrid took %.1f ms, sequential %.1f ms: want at most half", hybrid.WallMs, seq.WallMs)}
	}
	return nil
}

func raceClaim(cfg Config, rep report.Report, _ float64) []string {
	var bad []string
	for _, r := range rep.Runs {
		got, err1 := strconv.ParseInt(r.Result, 10, 64)
		want, err2 := strconv.ParseInt(r.Expected, 10, 64)
		if err1 != nil || err2 != nil {
			bad = append(bad, fmt.Sprintf("%s: result %q, expected %q: want whole numbers", r.Strategy, r.Result, r.Expected))
			continue
		}
		if !r.Partial && want != int64(cfg.Tasks)*cfg.Size {
			bad = append(bad, fmt.Sprintf("%s: expected %d, want tasks × size = %d", r.Strategy, want, int64(cfg.Tasks)*cfg.Size))
		}
		lost := int64(0)
		if n, _ := fmt.Sscanf(r.Note, "lost %d of", &lost); n != 1 && !strings.HasPrefix(r.Note, "no updates lost") {
			bad = append(bad, fmt.Sprintf("%s: note %q says nothing of lost updates", r.Strategy, r.Note))
		}
		switch {
		case got+lost != want:
			bad = append(bad, fmt.Sprintf("%s: result %d + lost %d ≠ expected %d", r.Strategy, got, lost, want))
		case r.Strategy != RaceUnsafe && lost != 0:
			bad = append(bad, fmt.Sprintf("%s: lost %d updates, want none", r.Strategy, lost))
		}
	}
	return bad
}

func cancelClaim(cfg Config, rep report.Report, _ float64) []string {
	var bad []string
	tasks := split(workload.KindSumSquares, cfg.Size, cfg.Tasks)
	for _, r := range rep.Runs {
		sum := new(big.Int)
		for _, t := range r.Tasks {
			if t.ID < 0 || t.ID >= len(tasks) {
				bad = append(bad, fmt.Sprintf("%s: task %d is not one of %d", r.Strategy, t.ID, len(tasks)))
				continue
			}
			if t.Error != "" {
				continue
			}
			spec := tasks[t.ID].Spec
			want := exact.SumSquaresRange(spec.Lo, spec.Hi)
			if t.Value != want.String() {
				bad = append(bad, fmt.Sprintf("%s: task %d finished with %s, want %s", r.Strategy, t.ID, t.Value, want))
			}
			sum.Add(sum, want)
		}
		if r.Result != sum.String() {
			bad = append(bad, fmt.Sprintf("%s: result %s, want the finished tasks' sum %s", r.Strategy, r.Result, sum))
		}
		cut := 0
		for _, t := range r.Tasks {
			if t.Error != "" {
				cut++
			}
		}
		if cut > 0 != r.Partial {
			bad = append(bad, fmt.Sprintf("%s: %d tasks cut, partial %v", r.Strategy, cut, r.Partial))
		}
		if cfg.Timeout > 0 && !r.Partial && r.WallMs > float64(cfg.Timeout.Milliseconds())*1.5 {
			bad = append(bad, fmt.Sprintf("%s: ran %.0f ms past a %v deadline, whole", r.Strategy, r.WallMs, cfg.Timeout))
		}
	}
	return bad
}
