package protocol

import (
	"encoding/json"
	"strconv"

	"lanes/core/demo"
)

// The messages worker.js takes and sends about the worker itself (see the
// package doc); worker.js spells them too, and a test checks they agree.
const (
	ScriptInit  = "init"
	ScriptClose = "close"
	ScriptFail  = "fail"
	ScriptReady = "ready"
	ScriptExit  = "exit"
	ScriptCrash = "crash"
)

// The roles Go plays in a worker, given by ScriptInit.
const (
	RoleCPU         = "cpu"         // runs tasks
	RoleCoordinator = "coordinator" // runs strategies over a pool of CPU workers of its own
)

// The types of the answers to a call, and of the cancel of one.
// TypeEvents (added) carries several events of one call at once, its Body
// a JSON array of their bodies in order (see EventEvery and Events).
const (
	TypeResult = "result"
	TypeEvent  = "event"
	TypeEvents = "events"
	TypeError  = "error"
	TypeCancel = "cancel"
)

// The exports: the calls a worker answers.
const (
	ExportRun    = "run"    // body RunRequest: one strategy of a demo
	ExportDo     = "do"     // body remote.Request: specs, for a CPU worker
	ExportStatus = "status" // the coordinator's pool: answer Status
	ExportFail   = "fail"   // body a lane: arm that CPU worker's crash (tests)
)

// A Message is one message of the worker protocol, sent as a JSON string
// (never as a structured object, which cannot carry []byte). Calls carry
// the name of an export as Type; answers carry TypeResult, TypeEvent,
// TypeEvents or TypeError.
type Message struct {
	Type  string          `json:"type"`
	ID    uint64          `json:"id"`
	Body  json.RawMessage `json:"body,omitempty"`
	Error string          `json:"error,omitempty"`
}

// A RunRequest is the body of an ExportRun call: a demo's config as the
// name=value pairs demo.Parse reads, the strategy (or variant) id, and the
// URL under which the built-in targets are served. The worker answers with
// the run's report.Run, after an event per delivered task carrying its
// report.Task (alone in a TypeEvent, or with others in a TypeEvents).
// Streamed (added) says the caller keeps the tasks of the events: the
// answer is then a RunAnswer, which does not repeat them.
type RunRequest struct {
	Values     map[string]string `json:"values"`
	Strategy   string            `json:"strategy"`
	TargetBase string            `json:"target_base"`
	Streamed   bool              `json:"streamed,omitempty"`
}

// Tasks is the request's tasks knob, and whether it has one that reads
// as a number.
func (r RunRequest) Tasks() (int, bool) {
	n, err := strconv.Atoi(r.Values[demo.KnobTasks])
	return n, err == nil
}

// Status is the coordinator's pool: its lanes, the workers alive and
// listening, and the calls under way.
type Status struct {
	Size  int `json:"size"`
	Ready int `json:"ready"`
	Busy  int `json:"busy"`
}
