package report

import (
	"fmt"
	"math"
)

// Enter returns phases with the phase under way ended at ms and one in
// state begun there: the way a task's phases are written as they happen.
// A time before the phase under way began counts as that beginning, so
// the phases stay in order; entering the state already under way changes
// nothing. The new phase lasts until the next Enter or EndPhases.
func Enter(phases []Phase, state string, ms float64) []Phase {
	if n := len(phases); n > 0 {
		last := &phases[n-1]
		if last.State == state {
			return phases
		}
		ms = max(ms, last.StartMs)
		last.EndMs = ms
	}
	return append(phases, Phase{State: state, StartMs: ms, EndMs: ms})
}

// EndPhases ends the phase under way at ms (or where it began, if later).
func EndPhases(phases []Phase, ms float64) {
	if n := len(phases); n > 0 {
		phases[n-1].EndMs = max(ms, phases[n-1].StartMs)
	}
}

// The phases' places, relative to the task's time on its lane.
const (
	beforeLane = iota // queued, permit: before StartMs
	onLane            // io-wait, transfer, compute, lock, cancelled: within [StartMs, EndMs]
	handover          // dispatch: on the lane, ending by EndMs
	afterLane         // undelivered: from EndMs
)

var placeOf = map[string]int{
	StateQueued: beforeLane, StatePermit: beforeLane,
	StateDispatch: handover,
	StateIOWait:   onLane, StateTransfer: onLane, StateCompute: onLane, StateLock: onLane, StateCancelled: onLane,
	StateUndelivered: afterLane,
}

// OnLane reports whether a task in state is on its lane: all states but
// queued, permit and undelivered (and an unknown one).
func OnLane(state string) bool {
	place, known := placeOf[state]
	return known && (place == onLane || place == handover)
}

// phaseSlack is how far apart two times the rules call equal may be: a
// nanosecond, far below the microsecond a report's times are given to.
const phaseSlack = 1e-6

// maxPhaseFindings bounds what CheckPhases says of one run.
const maxPhaseFindings = 5

// CheckPhases returns what in the run's task phases breaks their rules,
// nothing when they hold. A task's phases, when it has any (a report of
// the first version has none), cover its life without gaps or overlaps:
//
//   - each phase has a known state (States) and does not end before it begins;
//   - the first begins at 0, the run's start, when the task was submitted;
//     each begins where the one before ended; the last ends at DeliveredMs,
//     or at EndMs for a task never handed over (DeliveredMs 0, in a run cut
//     before it reported: see Cut);
//   - queued and permit end by StartMs, when the task's lane took it;
//   - io-wait, transfer, compute, lock and cancelled lie within
//     [StartMs, EndMs], on the lane;
//   - dispatch is on the lane too and ends by EndMs, but may begin before
//     StartMs: a remote task's StartMs is when its worker began it, and its
//     handing over comes before;
//   - undelivered begins at EndMs or later;
//   - nothing but undelivered follows cancelled, and a task that never
//     started (lane -1) spends no time on a lane.
//
// It says at most a few things a run, and how many more tasks break them.
func (r Run) CheckPhases() []string {
	var bad []string
	more := 0
	for _, t := range r.Tasks {
		if len(t.Phases) == 0 {
			continue
		}
		if why := t.phaseError(); why != "" {
			if len(bad) < maxPhaseFindings {
				bad = append(bad, fmt.Sprintf("%s: task %d: %s", r.Strategy, t.ID, why))
			} else {
				more++
			}
		}
	}
	if more > 0 {
		bad = append(bad, fmt.Sprintf("%s: and %d more tasks whose phases break the rules", r.Strategy, more))
	}
	return bad
}

// phaseError says the first rule the task's phases break, or "".
func (t Task) phaseError() string {
	end := t.DeliveredMs
	if end == 0 {
		end = t.EndMs
	}
	cancelled := false
	for i, p := range t.Phases {
		place, known := placeOf[p.State]
		switch {
		case !known:
			return fmt.Sprintf("phase %d: unknown state %q", i, p.State)
		case math.IsNaN(p.StartMs) || math.IsNaN(p.EndMs) || p.EndMs < p.StartMs:
			return fmt.Sprintf("%s from %.3f to %.3f ms: ends before it begins", p.State, p.StartMs, p.EndMs)
		case i == 0 && !near(p.StartMs, 0):
			return fmt.Sprintf("the first phase, %s, begins at %.3f ms, not at 0", p.State, p.StartMs)
		case i > 0 && !near(p.StartMs, t.Phases[i-1].EndMs):
			return fmt.Sprintf("%s begins at %.3f ms, %s ended at %.3f ms: a gap or an overlap",
				p.State, p.StartMs, t.Phases[i-1].State, t.Phases[i-1].EndMs)
		case cancelled && place != afterLane:
			return fmt.Sprintf("%s follows cancelled", p.State)
		case t.Lane < 0 && place != beforeLane && place != afterLane && p.EndMs > p.StartMs+phaseSlack:
			return fmt.Sprintf("never started, yet %s for %.3f ms", p.State, p.EndMs-p.StartMs)
		}
		var ok bool
		switch place {
		case beforeLane:
			ok = p.EndMs <= t.StartMs+phaseSlack
		case onLane:
			ok = p.StartMs >= t.StartMs-phaseSlack && p.EndMs <= t.EndMs+phaseSlack
		case handover:
			ok = p.EndMs <= t.EndMs+phaseSlack
		case afterLane:
			ok = p.StartMs >= t.EndMs-phaseSlack
		}
		if !ok {
			return fmt.Sprintf("%s from %.3f to %.3f ms is out of its place (on the lane from %.3f to %.3f ms)",
				p.State, p.StartMs, p.EndMs, t.StartMs, t.EndMs)
		}
		cancelled = cancelled || p.State == StateCancelled
	}
	if last := t.Phases[len(t.Phases)-1]; !near(last.EndMs, end) {
		return fmt.Sprintf("the last phase, %s, ends at %.3f ms, not at %.3f ms", last.State, last.EndMs, end)
	}
	return ""
}

func near(a, b float64) bool { return math.Abs(a-b) <= phaseSlack }

// PhasesOf returns the task's phases, or for a task that has none (a
// report of the first version) phases made from its times: queued until
// StartMs, then compute (cancelled, for a task that failed) until EndMs,
// then undelivered until DeliveredMs.
func PhasesOf(t Task) []Phase {
	if len(t.Phases) > 0 {
		return t.Phases
	}
	on := StateCompute
	if t.Error != "" {
		on = StateCancelled
	}
	ps := Enter(nil, StateQueued, 0)
	ps = Enter(ps, on, t.StartMs)
	if t.DeliveredMs > t.EndMs {
		ps = Enter(ps, StateUndelivered, t.EndMs)
	}
	EndPhases(ps, max(t.DeliveredMs, t.EndMs))
	return ps
}
