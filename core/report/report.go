// Package report defines the lanes.report/v1 JSON document that the command
// line, the server, the page and the embed protocol all speak, and computes
// its derived figures: the ideal time, speedup and efficiency of each run.
package report

import (
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
	Strategy   string  `json:"strategy"`
	Workers    int     `json:"workers"`
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
}

// Cost is how long the task took on its lane.
func (t Task) Cost() float64 { return t.EndMs - t.StartMs }

// Lanes is the number of distinct lanes the run's tasks used.
func (r Run) Lanes() int {
	seen := map[int]bool{}
	for _, t := range r.Tasks {
		seen[t.Lane] = true
	}
	return len(seen)
}
