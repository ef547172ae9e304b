package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Thresholds of trust.
const (
	// WideSpread is how far repeats may range, as a share of the median,
	// before the run's figure is not to be trusted.
	WideSpread = 0.2
	// Crowded is how much of a run's wall time may go to tasks running
	// slower than alone before the run counts as disturbed: natively, an
	// undisturbed run of any demo loses under 5% to contention.
	Crowded = 0.15
)

// Disturbed returns a warning when run's figures cannot be trusted — its
// repeats ranged too widely, or its tasks ran much slower than they cost
// alone, for no reason the demo accounts for — and "" when they can. Only
// CPU work is judged by contention: the race demo's goroutines contend for
// one counter by design, and downloads that then compute queue for the CPU
// lanes (a stage the capacity does not model), so only spread counts there.
func Disturbed(run Run) string {
	if s := run.Spread; s != nil && run.WallMs > 0 && (s.MaxMs-s.MinMs)/run.WallMs > WideSpread {
		return fmt.Sprintf("repeats ranged from %s to %s (%.0f%% of the median): too wide to trust; "+
			"run again on a quieter machine", FormatMs(s.MinMs), FormatMs(s.MaxMs), 100*(s.MaxMs-s.MinMs)/run.WallMs)
	}
	cpu := run.Work == WorkCPU || run.Work == "" || run.Work == WorkTask
	if l := run.Losses; l != nil && cpu && run.Expected == "" && run.WallMs > 0 && l.ContentionMs/run.WallMs > Crowded {
		return fmt.Sprintf("tasks ran slower than alone for %.0f%% of the run: something else was using the "+
			"CPUs; run again on a quieter machine, or with more runs", 100*l.ContentionMs/run.WallMs)
	}
	return ""
}

// ExpectedSpeedup is the speedup over sequential that the run's tasks, if
// equal, could reach on its lanes: min(tasks, capacity) when more lanes
// than capacity share it in turns (goroutines), else tasks / ⌈tasks /
// capacity⌉, the rounds a fixed set of lanes needs.
func (r Run) ExpectedSpeedup() float64 {
	n, c := len(r.Tasks), max(r.Capacity, 1)
	if n < 1 {
		return 1
	}
	if r.Lanes > c {
		return float64(min(n, c))
	}
	return float64(n) / float64((n+c-1)/c)
}

// beatsLimit reports whether speedup, over sequential, is more than the
// run's lanes allow for computing (ExpectedSpeedup): impossible for CPU
// work, by any margin. With 5% allowed, bin/lanes printed 8 goroutines
// 2.10× faster than sequential on 2 cores as "close to the 2 cores".
// Waits overlap beyond the lanes, so I/O is never judged, nor a user's
// task, which may wait.
func (r Run) beatsLimit(speedup float64) bool {
	return !r.waits() && r.Work != WorkTask && r.Expected == "" && speedup > r.ExpectedSpeedup()
}

// waits reports whether the run's tasks wait on I/O, whose waits overlap
// beyond the lanes.
func (r Run) waits() bool {
	return r.Work == WorkFetch || r.Work == WorkWait || r.Work == WorkFetchCPU
}

// ratio is the sequential run's wall over run's, the medians when the runs
// were repeated: Speedup, before Finish withholds an impossible one; 0
// when either run is partial or there is no sequential run.
func (rep Report) ratio(run Run) float64 {
	for _, s := range rep.Runs {
		if s.Strategy == "sequential" && s.WallMs > 0 && !math.IsInf(s.WallMs, 1) && !s.Partial && !run.Partial && run.WallMs > 0 {
			return round3(s.WallMs / run.WallMs)
		}
	}
	return 0
}

// IdleShare is the longest a lane of run sat idle after its last task
// while another lane still worked, as a share of the run's wall time, and
// which lane (the lowest of equals; -1 when none).
func (r Run) IdleShare() (share float64, lane int) {
	var last ByID[float64]                  // lane → its last task's end
	last.Expect(min(r.Lanes, len(r.Tasks))) // a goroutine each: 10,000 lanes
	for _, t := range r.Tasks {
		if t.Lane >= 0 {
			e, _ := last.Get(t.Lane)
			last.Put(t.Lane, math.Max(e, t.EndMs))
		}
	}
	var end float64
	for _, e := range last.All {
		end = math.Max(end, e)
	}
	lane = -1
	if r.WallMs <= 0 {
		return 0, lane
	}
	for l, e := range last.All {
		s := (end - e) / r.WallMs
		if s > share || (s == share && s > 0 && l < lane) {
			share, lane = s, l
		}
	}
	return share, lane
}

// Verdict returns one sentence, computed from the measurement, saying what
// run — one of rep's runs, finished — shows: its speedup against what its
// lanes allow, where the time went, or a warning when it was disturbed.
func Verdict(rep Report, run Run) string {
	name := label(run)
	switch {
	case run.Error != "":
		return fmt.Sprintf("%s: failed — its figures say nothing", name)
	case run.Partial:
		done := 0
		for _, t := range run.Tasks {
			if t.Error == "" {
				done++
			}
		}
		return fmt.Sprintf("%s: cut after %d of %d tasks — the result is partial, and no speedup is claimed", name, done, len(run.Tasks))
	case run.Expected != "":
		if run.Result == run.Expected {
			return fmt.Sprintf("%s: every update kept", name)
		}
		return fmt.Sprintf("%s: updates lost — %s counted of %s", name, run.Result, run.Expected)
	}
	if w := Disturbed(run); w != "" {
		return fmt.Sprintf("%s: warning — %s", name, w)
	}
	if run.WallMs <= 0 {
		return fmt.Sprintf("%s: no measurable time", name)
	}
	if run.Strategy == "ordered" || run.Strategy == "as-completed" {
		return delivery(name, run)
	}
	if rounds, lat, ok := waitRounds(run); ok && run.Speedup <= 0 {
		plural := "s"
		if rounds == 1 {
			plural = ""
		}
		return fmt.Sprintf("%s: %d round%s of %s waits took %s — %d waits at once",
			name, rounds, plural, FormatMs(lat), FormatMs(run.WallMs), run.Capacity)
	}
	idle, lane := run.IdleShare()
	l := run.Losses
	if l != nil && l.ImbalanceMs/run.WallMs >= 0.2 && lane >= 0 {
		return fmt.Sprintf("%s left lane %d idle for %.0f%% of the run: the work was not shared out evenly", name, lane, 100*idle)
	}
	io := run.waits()
	if run.Strategy == "sequential" {
		if io {
			return "sequential: one task at a time, every wait in turn — the baseline"
		}
		return "sequential: one task at a time — the baseline"
	}
	if ratio := rep.ratio(run); run.Speedup <= 0 && run.beatsLimit(ratio) {
		// Once: a machine whose speed drifts from one second to the next
		// (a shared one's often does, by 20% and more) decides a single
		// comparison; repeats interleave the strategies and take medians.
		again := "run again on a quieter machine"
		if run.Repeats() == 1 {
			again = "run again with more runs, which interleave the strategies, or on a quieter machine"
		}
		return fmt.Sprintf("%s: warning — %.2f× beats the limit of the %s: the sequential run was slowed by "+
			"something else, a busy machine or code still compiling; %s", name, ratio, lanesPhrase(rep.Platform, run), again)
	}
	if run.Speedup <= 0 {
		return fmt.Sprintf("%s: %.0f%% of the ideal%s", name, 100*run.Efficiency, mostLost(run))
	}
	want := run.ExpectedSpeedup()
	switch {
	case io && run.Speedup >= 0.8*want:
		return fmt.Sprintf("%s: %.2f× — up to %d waits overlap", name, run.Speedup, run.Capacity)
	case run.Work == WorkTask && run.Speedup > 1.05*want:
		return fmt.Sprintf("%s: %.2f× — more than the %s allow for computing: either these tasks wait (timers, "+
			"sleeps) and the waits overlap, or the sequential run was slowed, by code still compiling or a busy "+
			"machine; more runs tell which", name, run.Speedup, lanesPhrase(rep.Platform, run))
	case run.Capacity == 1 && run.Lanes > 1:
		return fmt.Sprintf("%s in one thread: %.2f× — they take turns, no faster than sequential", name, run.Speedup)
	case run.Speedup >= 0.9*want:
		return fmt.Sprintf("%s: %.2f× — close to the %s", name, run.Speedup, lanesPhrase(rep.Platform, run))
	}
	return fmt.Sprintf("%s: %.2f× of a possible %.2f×%s", name, run.Speedup, want, mostLost(run))
}

// waitRounds reports, for a run of waits that all last the same known
// latency lat, the rounds its capacity needs: ⌈tasks / capacity⌉. A
// goroutine a wait needs one round, however many goroutines there are.
func waitRounds(run Run) (rounds int, lat float64, ok bool) {
	if run.Work != WorkWait || len(run.Tasks) == 0 {
		return 0, 0, false
	}
	lat = run.Tasks[0].LatencyMs
	for _, t := range run.Tasks {
		if t.LatencyMs != lat {
			return 0, 0, false
		}
	}
	c := max(run.Capacity, 1)
	return (len(run.Tasks) + c - 1) / c, lat, lat > 0
}

// delivery says when the run handed over its first result and how long
// results waited, finished, to be handed over: the order demo's lesson.
func delivery(name string, run Run) string {
	first, waited, n := math.Inf(1), 0.0, 0
	for _, t := range run.Tasks {
		if t.Error == "" {
			first = math.Min(first, t.DeliveredMs)
			waited += math.Max(0, t.DeliveredMs-t.EndMs)
			n++
		}
	}
	if n == 0 {
		return fmt.Sprintf("%s: no result delivered", name)
	}
	if waited/float64(n) < 1 {
		return fmt.Sprintf("%s: first result at %s; each handed over as it finished", name, FormatMs(first))
	}
	return fmt.Sprintf("%s: first result at %s; finished results waited %s on average for those before them",
		name, FormatMs(first), FormatMs(waited/float64(n)))
}

// lanesPhrase names what bounds the run's speedup.
func lanesPhrase(p Platform, run Run) string {
	c := run.Capacity
	switch {
	case run.Where == WhereRemote && p.Kind == "browser" && c == p.CPUs:
		return fmt.Sprintf("%d cores the browser reports", c)
	case c == p.CPUs && p.Kind == "native":
		return fmt.Sprintf("%d cores this machine has", c)
	case c == 1 && p.Kind == "browser" && run.Where != WhereRemote:
		return "one thread they share"
	case c == 1:
		return "one lane it has"
	case c == max(run.Lanes, 1):
		return fmt.Sprintf("%d lanes it has", c)
	}
	return fmt.Sprintf("%d lanes that can run at once", c)
}

// mostLost says which loss took the most of the run, as ": the rest went
// to …", or "" when none took as much as 5%.
func mostLost(run Run) string {
	l := run.Losses
	if l == nil || run.WallMs <= 0 {
		return ""
	}
	parts := []struct {
		ms   float64
		what string
	}{
		{l.StartupMs, "starting up"},
		{l.DispatchMs, "handing out tasks and results"},
		{l.ImbalanceMs, "lanes idle at the end"},
		{l.ContentionMs, "tasks running slower than alone"},
	}
	most := parts[0]
	for _, p := range parts[1:] {
		if p.ms > most.ms {
			most = p
		}
	}
	if most.ms/run.WallMs < 0.05 {
		return ""
	}
	return fmt.Sprintf(" — the most went to %s (%.0f%% of the run)", most.what, 100*most.ms/run.WallMs)
}

// label names the run as a sentence starts: "2 workers", "8 goroutines".
func label(run Run) string {
	k := max(run.Lanes, 1)
	plural := func(word string) string {
		if k == 1 {
			return "1 " + strings.TrimSuffix(word, "s")
		}
		return fmt.Sprintf("%d %s", k, word)
	}
	switch run.Strategy {
	case "workers":
		return plural("workers")
	case "goroutines":
		return plural("goroutines")
	case "pool", "semaphore", "partition", "chunked":
		return fmt.Sprintf("%s of %d", run.Strategy, k)
	}
	return run.Strategy
}

// FormatMs writes a duration given in milliseconds as the summaries show
// it: "12.5 ms", or from a second on "1.25 s". It is the one format of a
// time in words, for the verdicts, the command line's table and the page.
func FormatMs(ms float64) string {
	if ms >= 1000 {
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
	}
	return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
}
