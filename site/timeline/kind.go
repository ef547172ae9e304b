package timeline

import "lanes/core/report"

// A Kind is what a stretch of the drawing stands for: a task's state on
// its lane, one of the counts in the strip under the time axis, or a task
// whose states were not recorded. Each kind has a name for the legend and
// the details, and a look: a colour from the page's style sheet
// (--tl-KEY) and a pattern, so that no two kinds drawn in the same place
// differ by hue alone.
type Kind uint8

// The kinds. Ran to Cancelled are drawn on the lanes; Running to
// Undelivered are the strip's counts.
const (
	Ran         Kind = iota // a task without recorded states: its time on its lane
	Dispatch                // report.StateDispatch
	IOWait                  // report.StateIOWait
	Transfer                // report.StateTransfer
	Compute                 // report.StateCompute
	Lock                    // report.StateLock
	Cancelled               // report.StateCancelled
	Running                 // strip: tasks on a lane, whatever their state
	Permit                  // strip: report.StatePermit
	Queued                  // strip: report.StateQueued
	Undelivered             // strip: report.StateUndelivered
	numKinds
)

// Inks beyond the kinds: marks drawn over the tasks and the lanes' bands.
const (
	inkFailed    = int(numKinds) + iota // the outline of a task that failed
	inkDelivered                        // the mark where a result was delivered
	inkBand                             // every other lane's background
	numInks
)

// SwatchInks are the inks a legend may show a swatch of (DrawSwatch):
// every kind, a failed task's outline and a delivery mark.
func SwatchInks() []int {
	inks := make([]int, 0, numKinds+2)
	for k := range numKinds {
		inks = append(inks, int(k))
	}
	return append(inks, inkFailed, inkDelivered)
}

// pattern is how a kind fills its stretch: lines of its colour over a
// lighter shade of it, or the colour alone.
type pattern uint8

const (
	solid        pattern = iota
	diagonal             // ///
	antidiagonal         // \\\
	crosshatch           // xxx
	vertical             // |||
	horizontal           // ===
	dots                 // ...
	checker              // a checkerboard
	grid                 // +++
)

var kinds = [numKinds]struct {
	key     string // the style sheet's --tl-KEY, and a state's name in reports
	name    string // in words, for the legend and the details
	pattern pattern
}{
	Ran:         {"ran", "on its lane (states not recorded)", solid},
	Dispatch:    {report.StateDispatch, "handed to a worker", dots},
	IOWait:      {report.StateIOWait, "waiting on I/O", diagonal},
	Transfer:    {report.StateTransfer, "transferring", vertical},
	Compute:     {report.StateCompute, "computing", solid},
	Lock:        {report.StateLock, "waiting for a lock", crosshatch},
	Cancelled:   {report.StateCancelled, "cancelled", horizontal},
	Running:     {"running", "on a lane", solid},
	Permit:      {report.StatePermit, "waiting for a permit", antidiagonal},
	Queued:      {report.StateQueued, "queued", grid},
	Undelivered: {report.StateUndelivered, "done, not yet delivered", checker},
}

// Key is the kind's name in the style sheet (--tl-KEY) and, for a task
// state, in reports.
func (k Kind) Key() string { return kinds[k].key }

// Name is the kind in words.
func (k Kind) Name() string { return kinds[k].name }

// OnLane reports whether the kind is drawn on the lanes, rather than
// counted in the strip under the axis.
func (k Kind) OnLane() bool { return k < Running }

// stateKind maps a report's task state to the kind it is drawn as (whose
// OnLane says whether the state is spent on the task's lane); a state
// this page does not know yet is Ran, on the lane and unnamed. It tells
// the states apart by their lengths and first letters, then checks the
// one candidate: a switch over the strings compares several, each a call
// in wasm, for every phase of ten thousand tasks.
func stateKind(state string) Kind {
	if len(state) < 4 {
		return Ran
	}
	k := Ran
	switch len(state)<<8 | int(state[0]) {
	case 6<<8 | 'q':
		k = Queued
	case 6<<8 | 'p':
		k = Permit
	case 11<<8 | 'u':
		k = Undelivered
	case 8<<8 | 'd':
		k = Dispatch
	case 7<<8 | 'i':
		k = IOWait
	case 8<<8 | 't':
		k = Transfer
	case 7<<8 | 'c':
		k = Compute
	case 4<<8 | 'l':
		k = Lock
	case 9<<8 | 'c':
		k = Cancelled
	}
	if state != kinds[k].key {
		return Ran
	}
	return k
}

// laneOrder is the order in which a density row stacks a column's shares,
// from its bottom: work first, then the waits.
var laneOrder = [...]Kind{Compute, Ran, Transfer, IOWait, Dispatch, Lock, Cancelled}

// stripOrder is the order in which the strip stacks its counts, from its
// bottom.
var stripOrder = [...]Kind{Running, Permit, Queued, Undelivered}
