// Package report defines the lanes.report/v1 JSON document that the command
// line, the server, the page and the embed protocol all speak, and computes
// its derived figures: each run's capacity, ideal time (a lower bound),
// speedup, efficiency, where the rest of the wall time went, and a verdict
// in words.
//
// Every field added to lanes.report/v1 since its first version is additive
// and omitted when empty, so readers of the first version keep working:
// capacity, losses, where, work, remote_lanes, walls_ms, spread, verdict,
// memory, and each task's phases.
package report

import (
	"encoding/json"
	"runtime"
)

// Schema is the version string every report carries.
const Schema = "lanes.report/v1"

// A Report is the outcome of running one demo with one or more strategies.
type Report struct {
	Schema   string         `json:"schema"`
	Demo     string         `json:"demo"`
	Platform Platform       `json:"platform"`
	Params   map[string]any `json:"params"`
	Runs     []Run          `json:"runs"`
}

// Platform says where the runs happened.
type Platform struct {
	Kind       string `json:"kind"` // "native" or "browser"
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	UserAgent  string `json:"user_agent,omitempty"`
}

// Here describes the running process, as a platform of the given kind.
func Here(kind string) Platform {
	return Platform{
		Kind: kind, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
}

// A Run is one strategy's run of the demo. Times are milliseconds from the
// run's start; Result and Value are decimal strings.
type Run struct {
	Strategy string `json:"strategy"`
	// Lanes is how many lanes the strategy ran: 1 for sequential, K for
	// pool, semaphore and the remote strategies, one per task for
	// goroutines, the hybrid and race. It is written as "lanes" and, for
	// readers of the first version, as "workers" (see MarshalJSON).
	Lanes      int     `json:"lanes"`
	WallMs     float64 `json:"wall_ms"`
	IdealMs    float64 `json:"ideal_ms"`
	Speedup    float64 `json:"speedup"`
	Efficiency float64 `json:"efficiency"`
	Result     string  `json:"result"`
	Partial    bool    `json:"partial"`
	Error      string  `json:"error"`
	// Expected is the correct result where the demo knows it (the race
	// demo's counter); Note explains a difference, such as lost updates.
	Expected string `json:"expected,omitempty"`
	Note     string `json:"note,omitempty"`
	Tasks    []Task `json:"tasks"`

	// Where the lanes ran (WhereLocal, WhereRemote, WhereHybrid), what kind
	// of work the tasks were (WorkCPU, WorkFetch, WorkWait, WorkFetchCPU),
	// and for the hybrid how many remote lanes did its CPU work: set by the
	// strategy, read by Capacity.
	Where       string `json:"where,omitempty"`
	Work        string `json:"work,omitempty"`
	RemoteLanes int    `json:"remote_lanes,omitempty"`

	// Capacity is how many lanes could really make progress at once (see
	// Capacity); Losses says where the time beyond IdealMs went. Both are
	// set by Finish.
	Capacity int     `json:"capacity,omitempty"`
	Losses   *Losses `json:"losses,omitempty"`

	// WallsMs is every repeat's wall time in the order they ran, and Spread
	// their range, when the strategy ran more than once; the run itself is
	// the median repeat (see Summarize).
	WallsMs []float64 `json:"walls_ms,omitempty"`
	Spread  *Spread   `json:"spread,omitempty"`

	// Verdict is one sentence, computed from the measurement, saying what
	// the run shows, or a warning when it cannot be trusted. Set by Finish.
	Verdict string `json:"verdict,omitempty"`

	// Memory is what the run's lanes cost in memory, where the demo
	// measured it (connections).
	Memory *Memory `json:"memory,omitempty"`
}

// Losses splits the time a run took beyond its ideal into four causes, in
// milliseconds: IdealMs + StartupMs + DispatchMs + ImbalanceMs +
// ContentionMs = WallMs, to the microsecond.
type Losses struct {
	// StartupMs: capacity idle before lanes got their first task (starting
	// processes or workers, shipping the first message).
	StartupMs float64 `json:"startup_ms"`
	// DispatchMs: capacity idle between tasks on a lane that had more to
	// do, and after the last task until the run ended (sending tasks,
	// returning and delivering results: dispatch and serialisation).
	DispatchMs float64 `json:"dispatch_ms"`
	// ImbalanceMs: capacity idle because a lane had no work left while
	// other lanes still ran.
	ImbalanceMs float64 `json:"imbalance_ms"`
	// ContentionMs: tasks taking longer than they cost alone (sharing a
	// core, a cache, a lock or a connection), and work on tasks that were
	// cut or failed.
	ContentionMs float64 `json:"contention_ms"`
}

// Spread is the range of a strategy's wall times over its repeats.
type Spread struct {
	MinMs float64 `json:"min_ms"`
	MaxMs float64 `json:"max_ms"`
}

// A Task is one task's place on the timeline.
type Task struct {
	ID          int     `json:"id"`
	Lane        int     `json:"lane"`
	StartMs     float64 `json:"start_ms"`
	EndMs       float64 `json:"end_ms"`
	DeliveredMs float64 `json:"delivered_ms"`
	Bytes       int64   `json:"bytes"`
	Value       string  `json:"value"`
	Error       string  `json:"error"`
	// LatencyMs is the task's known I/O latency, a floor on its cost.
	LatencyMs float64 `json:"latency_ms,omitempty"`
	// Phases is what the task did from its submission (at 0) to its
	// delivery, in time order, without gaps or overlaps: queued or waiting
	// for a permit before its lane took it; handed over, waiting on I/O,
	// transferring, computing or waiting for a lock on its lane; then
	// done but undelivered until DeliveredMs. A cancelled task ends in
	// StateCancelled (then undelivered, if it was handed on later). Run's
	// CheckPhases checks the rules; a report of the first version has no
	// phases.
	Phases []Phase `json:"phases,omitempty"`
}

// A Phase is a stretch of a task's life spent in one state, in ms from the
// run's start.
type Phase struct {
	State   string  `json:"state"`
	StartMs float64 `json:"start_ms"`
	EndMs   float64 `json:"end_ms"`
}

// The task states, a contract with the page, the command line and traces.
// StateQueued, StatePermit and StateUndelivered are spent off the lanes;
// the others on the task's lane, between StartMs and EndMs — except that a
// remote task's dispatch comes before its StartMs, the moment its worker
// began it.
const (
	StateQueued      = "queued"      // submitted, not yet taken by a lane
	StatePermit      = "permit"      // waiting for a semaphore's permit
	StateDispatch    = "dispatch"    // sent to a worker, not yet started there
	StateIOWait      = "io-wait"     // request sent, no byte back yet (or a simulated wait)
	StateTransfer    = "transfer"    // reading the response's body
	StateCompute     = "compute"     // computing
	StateLock        = "lock"        // waiting for a lock
	StateUndelivered = "undelivered" // done, its result held behind earlier ones
	StateCancelled   = "cancelled"   // stopped by Stop or a deadline
)

// States lists the task states in the order a task can pass through them.
var States = []string{StateQueued, StatePermit, StateDispatch, StateIOWait, StateTransfer, StateCompute, StateLock, StateUndelivered, StateCancelled}

// Cost is how long the task took on its lane.
func (t Task) Cost() float64 { return t.EndMs - t.StartMs }

// LanesSeen is the number of distinct lanes the run's tasks were placed on
// (a task that never started counts as lane -1), which a partial run can
// leave below Lanes.
func (r Run) LanesSeen() int {
	var seen ByID[struct{}] // by lane + 1: a map of 10,000 tasks' lanes took 19 ms of a page's render, in wasm
	seen.Expect(len(r.Tasks) + 1)
	n := 0
	for i := range r.Tasks {
		if l := r.Tasks[i].Lane + 1; !seen.Has(l) {
			seen.Put(l, struct{}{})
			n++
		}
	}
	return n
}

// MarshalJSON writes the run with Lanes under "lanes" and, for readers of
// the first version of the schema, under "workers" too.
func (r Run) MarshalJSON() ([]byte, error) {
	type plain Run // without the methods, so no recursion
	return json.Marshal(struct {
		plain
		Workers int `json:"workers"`
	}{plain(r), r.Lanes})
}

// UnmarshalJSON reads a run; a report of the first version, which has
// "workers" and no "lanes", gives Lanes from "workers".
func (r *Run) UnmarshalJSON(data []byte) error {
	type plain Run
	var v struct {
		plain
		Workers *int `json:"workers"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = Run(v.plain)
	if r.Lanes == 0 && v.Workers != nil {
		r.Lanes = *v.Workers
	}
	return nil
}
