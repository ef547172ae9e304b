package report

import (
	"math"
)

// accounting is one run's record swept over time: each task's share of
// the capacity, and the capacity left idle, by cause, in capacity × ms.
type accounting struct {
	wall, capacity float64
	ran            []bool    // task j ran (finished, or ran and was cut)
	share          []float64 // task j's share of the capacity, in ms
	took           []float64 // task j's time on its lane, in ms
	shared         []bool    // task j ran at some time with more tasks than capacity
	busy           float64   // ∫ min(k(t), C) dt = Σ share
	startup        float64   // idle capacity while lanes awaited their first task
	dispatch       float64   // idle capacity of lanes between tasks, and after the last
	imbalance      float64   // idle capacity of lanes with nothing left to do
}

// account sweeps run's tasks in time order with capacity c. Each task's
// interval is clamped to [0, wall]. With k tasks in flight, each gets
// min(1, c/k) of a lane, and c − min(k, c) of the capacity is idle: idle
// before a lane's first task counts as startup, between its tasks (or
// after every task ended) as dispatch, and after its last task as
// imbalance, shared in proportion to the lanes in each state. O(n log n).
func account(run Run, c int) accounting {
	wall := run.WallMs
	if !(wall > 0) || math.IsInf(wall, 1) { // NaN, negative, infinite: no wall to measure against
		wall = 0
	}
	a := accounting{wall: wall, capacity: float64(c),
		ran: make([]bool, len(run.Tasks)), share: make([]float64, len(run.Tasks)),
		shared: make([]bool, len(run.Tasks)), took: make([]float64, len(run.Tasks))}
	type lane struct{ tasks, active int }
	var lanes []lane
	// A lane's number + 1 → its place in lanes: by ByID, where lanes from
	// −1 (a task that never had one) up are a slice; a map alone, for the
	// 10,000 lanes of a goroutine each, took a fifth of the accounting's time.
	var index ByID[int]
	index.Expect(len(run.Tasks) + 1)
	laneOf := make([]int, len(run.Tasks)) // task j → its place in lanes
	// The starts in task order, then the ends in task order (the order of
	// ties that sortEvents keeps), in one slice: the ends are put in its
	// second half, then moved up behind the starts.
	n := len(run.Tasks)
	events := make([]event, 2*n)
	ran := 0
	for j, t := range run.Tasks {
		start := clamp(t.StartMs, 0, wall)
		end := clamp(t.EndMs, start, wall)
		if t.Error != "" && end <= start {
			continue // never ran
		}
		a.ran[j] = true
		a.took[j] = end - start
		i, ok := index.Get(t.Lane + 1)
		if !ok {
			i = len(lanes)
			index.Put(t.Lane+1, i)
			lanes = append(lanes, lane{})
		}
		laneOf[j] = i
		lanes[i].tasks++
		events[ran] = event{start, int32(j), false}
		events[n+ran] = event{end, int32(j), true}
		ran++
	}
	// In time order; at one time a task starts before any ends (a
	// zero-length task starts before it ends), then by task.
	events = sortEvents(append(events[:ran], events[n:n+ran]...))
	m := len(lanes)
	pre, done, busyLanes, k := m, 0, 0, 0
	started := make([]bool, m)
	var phi float64   // ∫ min(1, c/k) dt so far: a task's share is phi(end) − phi(start)
	var crowd float64 // ∫ [k > c] dt so far: a task was shared if it grew while it ran
	crowdAt := make([]float64, len(run.Tasks))
	capf := float64(c)
	now := 0.0
	segment := func(until float64) {
		dt := until - now
		if dt <= 0 {
			return
		}
		// min(1, c/k) and min(k, c), by comparing the counts: in wasm,
		// math.Min is a call, for NaN and signed zeros, which counts are not.
		share, used := 1.0, float64(k)
		if k > c {
			share, used = capf/float64(k), capf
			crowd += dt
		}
		if k > 0 {
			phi += share * dt
		}
		a.busy += used * dt
		idle := (capf - used) * dt
		between := m - pre - done - busyLanes
		switch {
		case idle <= 0:
		case pre == m:
			a.startup += idle
		case done == m:
			a.dispatch += idle
		case pre+between+done == 0:
			a.imbalance += idle // fewer lanes than capacity, all busy
		default:
			n := float64(pre + between + done)
			a.startup += idle * float64(pre) / n
			a.dispatch += idle * float64(between) / n
			a.imbalance += idle * float64(done) / n
		}
		now = until
	}
	for _, e := range events {
		segment(e.at)
		i := laneOf[e.task]
		l := &lanes[i]
		if !e.end {
			a.share[e.task] = -phi
			crowdAt[e.task] = crowd
			if !started[i] {
				started[i] = true
				pre--
			}
			if l.active == 0 {
				busyLanes++
			}
			l.active++
			k++
			continue
		}
		a.share[e.task] += phi
		a.shared[e.task] = crowd > crowdAt[e.task]
		l.active--
		k--
		l.tasks--
		if l.active == 0 {
			busyLanes--
		}
		if l.tasks == 0 {
			done++
		}
	}
	segment(wall)
	return a
}

// An event is a task's start or end, at a time in ms (≥ 0, finite).
type event struct {
	at   float64
	task int32 // 16 bytes in all, which the sort moves
	end  bool
}

// sortEvents sorts events by time, keeping the order of equal times: a
// radix sort of at's bits, which order as a float ≥ 0 does. A comparison
// sort calls its comparison at every step: with it, and a map for the
// lanes in place of ByID, Finish of two runs of 10,000 tasks took 66–85 ms of
// the page's main thread in wasm, as each strategy ended; now 12–13 ms,
// and 7 ms with the first run's sweep kept (BenchmarkFinish and
// BenchmarkFinishAgain under GOOS=js, with the app's inlining flags).
func sortEvents(events []event) []event {
	spare := make([]event, len(events))
	and, or := ^uint64(0), uint64(0) // a byte alike in all: and and or agree there
	for _, e := range events {
		b := math.Float64bits(e.at)
		and, or = and&b, or|b
	}
	for shift := 0; shift < 64; shift += 8 {
		if (and^or)>>shift&255 == 0 {
			continue // one digit for all: the order stands
		}
		var at [257]int
		for _, e := range events {
			at[(math.Float64bits(e.at)>>shift)&255+1]++
		}
		for i := 1; i < 257; i++ {
			at[i] += at[i-1]
		}
		for _, e := range events {
			d := (math.Float64bits(e.at) >> shift) & 255
			spare[at[d]] = e
			at[d]++
		}
		events, spare = spare, events
	}
	return events
}

// split returns the run's ideal, from the costs of the tasks that ran, and
// the losses that make up the rest of the wall time. Costs that add up to
// more than the run's busy capacity (evidence from disturbed runs) are
// scaled down to it, so the bound holds against this run. The sweep gives
// C × wall = Σ cost + (busy − Σ cost) + idle, so wall = Σ cost / C +
// contention + startup + dispatch + imbalance; when the longest task
// raises the ideal above Σ cost / C, the difference was never a loss and
// comes off imbalance first, then dispatch, startup and contention.
func (a accounting) split(costs []float64) (float64, Losses) {
	var sum, longest float64
	for _, c := range costs {
		sum += c
		longest = math.Max(longest, c)
	}
	if a.wall <= 0 {
		return 0, Losses{}
	}
	if sum > a.busy {
		scale := a.busy / sum
		sum, longest = a.busy, longest*scale
	}
	work := sum / a.capacity
	ideal := math.Min(math.Max(longest, work), a.wall)
	parts := []float64{
		a.imbalance / a.capacity,
		a.dispatch / a.capacity,
		a.startup / a.capacity,
		math.Max(0, a.busy-sum) / a.capacity,
	}
	excess := ideal - work
	for i := range parts {
		take := math.Min(parts[i], math.Max(excess, 0))
		parts[i] -= take
		excess -= take
	}
	l := Losses{
		ImbalanceMs: round3(parts[0]),
		DispatchMs:  round3(parts[1]),
		StartupMs:   round3(parts[2]),
	}
	ideal = math.Min(round3(ideal), a.wall)
	// Contention takes what rounding left, so the parts add up exactly.
	l.ContentionMs = round3(a.wall - ideal - l.StartupMs - l.DispatchMs - l.ImbalanceMs)
	if l.ContentionMs < 0 { // by a rounding step at most: the largest part gives it back
		most := &l.ImbalanceMs
		for _, p := range []*float64{&l.DispatchMs, &l.StartupMs} {
			if *p > *most {
				most = p
			}
		}
		*most = round3(*most + l.ContentionMs)
		l.ContentionMs = 0
	}
	for _, p := range []*float64{&l.StartupMs, &l.DispatchMs, &l.ImbalanceMs, &l.ContentionMs} {
		*p = math.Max(*p, 0) // no −0
	}
	return ideal, l
}

// clamp is x within [lo, hi], for lo ≤ hi, neither NaN nor −0 (the
// accounting's never are); lo for a NaN x. It is math.Max(lo, math.Min(x,
// hi)) in plain comparisons, which wasm runs in line, where it calls the
// math functions (a tenth of the accounting's time in a traced page); an
// x of −0 gives lo as math.Max does.
func clamp(x, lo, hi float64) float64 {
	switch {
	case !(x > lo):
		return lo
	case x > hi:
		return hi
	}
	return x
}
