package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"lanes/core/workload"
)

// The message types a Web Worker sends back. A call is answered exactly
// once, by a TypeResult or a TypeError message with the call's ID; a
// handler may send TypeEvent messages with the same ID before that.
const (
	TypeResult = "result"
	TypeEvent  = "event"
	TypeError  = "error"
)

// TypeCancel is the message that cancels the context of the call with its
// ID, which still answers exactly once (with what it has, or its error).
// A cancel for a call that has ended, or never began, is ignored.
const TypeCancel = "cancel"

// A Message is one message between the page and a Web Worker, sent as a
// JSON string (never as a structured object, which cannot carry []byte).
// Calls carry the name of an export as Type; answers carry TypeResult,
// TypeEvent or TypeError.
type Message struct {
	Type  string          `json:"type"`
	ID    uint64          `json:"id"`
	Body  json.RawMessage `json:"body,omitempty"`
	Error string          `json:"error,omitempty"`
}

// ExportDo is the name of the call that runs a Request (a Pool's Do).
const ExportDo = "do"

// ExportRun is the name of the call that runs one strategy of a demo inside
// the worker, for the strategies that need no remote pool.
const ExportRun = "run"

// A RunRequest is the body of an ExportRun call: a demo's config as the
// name=value pairs demo.Parse reads, the strategy (or variant) id, and the
// URL under which the built-in targets are served. The worker answers with
// the run's report.Run, after one TypeEvent per delivered task carrying its
// report.Task.
type RunRequest struct {
	Values     map[string]string `json:"values"`
	Strategy   string            `json:"strategy"`
	TargetBase string            `json:"target_base"`
}

// A Handler answers one call. It may call emit any number of times before
// it returns, to stream events; it returns the answer's body or an error.
type Handler func(ctx context.Context, body json.RawMessage, emit func(any)) (any, error)

// Exports maps the names of calls to their handlers: a worker's whole API.
type Exports map[string]Handler

// DoHandler returns the Handler of ExportDo: it runs a Request's specs with
// runner and answers with the Response.
func DoHandler(runner workload.Runner) Handler {
	return func(ctx context.Context, body json.RawMessage, _ func(any)) (any, error) {
		var req Request
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("do: %w", err)
		}
		return Handle(ctx, runner, req), nil
	}
}

// A Mux dispatches a worker's incoming messages to its exports. Each call
// runs in a goroutine of its own and is answered exactly once: with its
// result, its error, its panic's text, or — for a message that is not a
// well-formed call — an error naming the problem.
type Mux struct {
	exports Exports
	send    func([]byte)
	mu      sync.Mutex // one send at a time, in order
	calls   sync.WaitGroup

	cancelMu sync.Mutex
	cancels  map[uint64]context.CancelFunc // the calls under way, by ID
}

// NewMux returns a Mux that answers through send, which is called with one
// JSON message at a time.
func NewMux(exports Exports, send func([]byte)) *Mux {
	return &Mux{exports: exports, send: send, cancels: map[uint64]context.CancelFunc{}}
}

// Receive handles one incoming message. It never blocks: the call runs in
// a goroutine of its own, so it is safe to call from a JavaScript callback.
func (m *Mux) Receive(data []byte) {
	var msg Message
	if err := json.Unmarshal(data, &msg); err != nil {
		m.answer(Message{Type: TypeError, Error: "remote: malformed message: " + err.Error()})
		return
	}
	if msg.Type == TypeCancel {
		m.cancelMu.Lock()
		if cancel := m.cancels[msg.ID]; cancel != nil {
			cancel()
		}
		m.cancelMu.Unlock()
		return
	}
	h, ok := m.exports[msg.Type]
	if !ok {
		m.answer(Message{Type: TypeError, ID: msg.ID, Error: fmt.Sprintf("remote: no call %q", msg.Type)})
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancelMu.Lock()
	if _, dup := m.cancels[msg.ID]; dup {
		m.cancelMu.Unlock()
		cancel()
		m.answer(Message{Type: TypeError, ID: msg.ID, Error: fmt.Sprintf("remote: call %d is already under way", msg.ID)})
		return
	}
	m.cancels[msg.ID] = cancel
	m.cancelMu.Unlock()
	m.calls.Add(1)
	go func() {
		defer m.calls.Done()
		defer func() {
			m.cancelMu.Lock()
			delete(m.cancels, msg.ID)
			m.cancelMu.Unlock()
			cancel()
		}()
		c := &callState{mux: m, id: msg.ID}
		c.finish(c.run(ctx, h, msg.Body))
	}()
}

// Wait waits for every call under way to be answered.
func (m *Mux) Wait() { m.calls.Wait() }

// callState is one call under way. Its lock orders the call's events
// before its answer, even events emitted by goroutines the handler left
// running; events after the answer are dropped.
type callState struct {
	mux      *Mux
	id       uint64
	mu       sync.Mutex
	answered bool
}

func (c *callState) emit(v any) {
	body, err := json.Marshal(v)
	if err != nil {
		body, _ = json.Marshal(err.Error())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.answered {
		c.mux.answer(Message{Type: TypeEvent, ID: c.id, Body: body})
	}
}

func (c *callState) finish(answer Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered = true
	c.mux.answer(answer)
}

// run runs h and returns the call's answer: its result, its error, or its
// panic's text (workload.Safely).
func (c *callState) run(ctx context.Context, h Handler, body json.RawMessage) Message {
	v, err := workload.Safely(func() (any, error) { return h(ctx, body, c.emit) })
	if err != nil {
		return Message{Type: TypeError, ID: c.id, Error: err.Error()}
	}
	out, err := json.Marshal(v)
	if err != nil {
		return Message{Type: TypeError, ID: c.id, Error: "remote: answer: " + err.Error()}
	}
	return Message{Type: TypeResult, ID: c.id, Body: out}
}

func (m *Mux) answer(msg Message) {
	data, err := json.Marshal(msg)
	if err != nil { // only a Body that is not JSON; never from call
		data, _ = json.Marshal(Message{Type: TypeError, ID: msg.ID, Error: err.Error()})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.send(data)
}

// ErrMalformed is returned by Decode for a message that is not a Message.
var ErrMalformed = errors.New("remote: malformed message")

// Decode reads one message from a worker.
func Decode(data []byte) (Message, error) {
	var msg Message
	if err := json.Unmarshal(data, &msg); err != nil {
		return msg, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return msg, nil
}
