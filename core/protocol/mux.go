package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"lanes/core/remote"
	"lanes/core/workload"
)

// A Handler answers one call. It may call emit any number of times before
// it returns, to stream events; it returns the answer's body or an error.
type Handler func(ctx context.Context, body json.RawMessage, emit func(any)) (any, error)

// Exports maps the names of calls to their handlers: a worker's whole API.
type Exports map[string]Handler

// DoHandler returns the Handler of ExportDo: it runs a remote.Request's
// specs with runner and answers with the remote.Response.
func DoHandler(runner workload.Runner) Handler {
	return func(ctx context.Context, body json.RawMessage, _ func(any)) (any, error) {
		var req remote.Request
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("do: %w", err)
		}
		return remote.Handle(ctx, runner, req), nil
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
		m.answer(Message{Type: TypeError, Error: "protocol: malformed message: " + err.Error()})
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
		m.answer(Message{Type: TypeError, ID: msg.ID, Error: fmt.Sprintf("protocol: no call %q", msg.Type)})
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancelMu.Lock()
	if _, dup := m.cancels[msg.ID]; dup {
		m.cancelMu.Unlock()
		cancel()
		m.answer(Message{Type: TypeError, ID: msg.ID, Error: fmt.Sprintf("protocol: call %d is already under way", msg.ID)})
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

// EventEvery is the least time between two of a call's event messages.
// An event emitted sooner after the last waits, and the events that
// gather meanwhile go out together in one TypeEvents message: a run of
// ten thousand tasks otherwise posted ten thousand messages on each hop
// to the page, each a crossing into JavaScript and back. A call's first
// event, and any after a quiet EventEvery, goes out at once.
const EventEvery = 20 * time.Millisecond

// callState is one call under way. Its lock orders the call's events
// before its answer, even events emitted by goroutines the handler left
// running; the events still waiting go out just before the answer, and
// events after the answer are dropped.
type callState struct {
	mux      *Mux
	id       uint64
	mu       sync.Mutex
	answered bool
	pending  []json.RawMessage // events waiting to go out
	sent     time.Time         // when events last went out
	due      *time.Timer       // sends pending, when set
}

func (c *callState) emit(v any) {
	body, err := eventBody(v)
	if err != nil {
		body, _ = json.Marshal(err.Error())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answered {
		return
	}
	c.pending = append(c.pending, body)
	if c.due != nil {
		return // they go out together
	}
	if wait := EventEvery - time.Since(c.sent); wait > 0 {
		c.due = time.AfterFunc(wait, c.flush)
		return
	}
	c.sendPending()
}

// flush sends the events that waited, unless the answer went first
// (taking them along).
func (c *callState) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.due = nil
	if !c.answered {
		c.sendPending()
	}
}

// EventsMax is the most events one TypeEvents message carries. The page
// handles a message in one go, and 10,000 tasks' events in one message
// (goroutines that all end at once) held its main thread for 390 ms; a
// message of EventsMax takes about 10 ms, and the page can draw between
// two (wasm/pool yields between messages).
const EventsMax = 256

// sendPending sends the waiting events, one as a TypeEvent, more as
// TypeEvents of at most EventsMax each; c.mu is held.
func (c *callState) sendPending() {
	for p := c.pending; len(p) > 0; {
		n := min(len(p), EventsMax)
		if n == 1 {
			c.mux.answer(Message{Type: TypeEvent, ID: c.id, Body: p[0]})
		} else {
			c.mux.answer(Message{Type: TypeEvents, ID: c.id, Body: joinEvents(p[:n])})
		}
		p = p[n:]
	}
	c.pending = nil
	c.sent = time.Now()
}

// joinEvents writes event bodies, each already JSON, as one JSON array.
func joinEvents(bodies []json.RawMessage) json.RawMessage {
	n := 2
	for _, b := range bodies {
		n += len(b) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, b := range bodies {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	return append(out, ']')
}

func (c *callState) finish(answer Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.due != nil {
		c.due.Stop()
		c.due = nil
	}
	c.sendPending()
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
		return Message{Type: TypeError, ID: c.id, Error: "protocol: answer: " + err.Error()}
	}
	return Message{Type: TypeResult, ID: c.id, Body: out}
}

func (m *Mux) answer(msg Message) {
	data := encode(msg)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.send(data)
}

// ErrMalformed is returned by Decode for a message that is not a Message,
// and by Events for events that are not what their type says.
var ErrMalformed = errors.New("protocol: malformed message")
