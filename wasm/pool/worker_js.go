package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
)

// errStopped fails the calls of a worker the pool terminated.
var errStopped = errors.New("worker stopped")

// cancelGrace is how long a worker that cancels (the coordinator) has to
// answer a cancelled call before it is terminated after all.
const cancelGrace = 5 * time.Second

// A worker is one Web Worker running app.wasm as a worker.
type worker struct {
	js safejs.Value
	// cancels says how a call under way is stopped when its ctx is done:
	// by a cancel message, for a worker that stays responsive (the
	// coordinator), or else by terminating the worker, the only way to
	// stop a CPU loop.
	cancels bool
	funcs   []safejs.Func
	ready   chan struct{} // closed when Go listens
	gone    chan struct{} // closed when the worker died or was stopped

	mu     sync.Mutex
	err    error // why it is gone
	calls  map[uint64]*call
	nextID uint64
	inbox  []string
	wake   chan struct{}
}

// A call is one message awaiting its answer.
type call struct {
	onEvent func(json.RawMessage)
	done    chan protocol.Message // one answer
}

// spawn starts a worker from the compiled module, in the role
// (protocol.RoleCPU, or protocol.RoleCoordinator with a pool of size CPU
// workers).
func spawn(b Boot, role string, size int) (*worker, error) {
	ctor, err := safejs.Global().Get("Worker")
	if err != nil {
		return nil, err
	}
	js, err := ctor.New(b.Script)
	if err != nil {
		return nil, fmt.Errorf("new Worker(%s): %w", b.Script, err)
	}
	w := &worker{
		js: js, ready: make(chan struct{}), gone: make(chan struct{}),
		calls: map[uint64]*call{}, wake: make(chan struct{}, 1),
	}
	onMessage, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		data, _ := arg(args).Get("data")
		s, err := data.String()
		if err != nil {
			s = "" // not a JSON string: decodes as malformed
		}
		w.enqueue(s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	onError, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		msg := "worker error"
		if m, err := arg(args).Get("message"); err == nil && m.Type() == safejs.TypeString {
			msg, _ = m.String()
		}
		if _, err := arg(args).Call("preventDefault"); err != nil {
			msg += " (" + err.Error() + ")"
		}
		w.enqueue(fmt.Sprintf(`{"type":%q,"error":%q}`, protocol.ScriptCrash, msg))
		return nil
	})
	if err != nil {
		onMessage.Release()
		return nil, err
	}
	w.funcs = []safejs.Func{onMessage, onError}
	if err := errors.Join(js.Set("onmessage", onMessage.Value()), js.Set("onerror", onError.Value())); err != nil {
		w.release()
		return nil, err
	}
	init, err := safejs.ValueOf(map[string]any{"type": protocol.ScriptInit, "exec": b.Exec, "role": role, "size": size, "test": b.Test})
	if err == nil {
		err = init.Set("module", b.Module)
	}
	if err == nil {
		_, err = js.Call("postMessage", init)
	}
	if err != nil {
		w.terminate(err)
		return nil, err
	}
	go w.dispatch()
	return w, nil
}

// enqueue hands a message from the worker to dispatch without blocking:
// it runs in a JavaScript callback.
func (w *worker) enqueue(s string) {
	w.mu.Lock()
	w.inbox = append(w.inbox, s)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// yieldAfter is how long dispatch holds the thread before it lets the
// browser run: in the page, a burst of a run's events (10,000 goroutines
// that end at once) otherwise held the main thread until all were handled,
// 390 ms with no frame drawn. Each message is handled whole: a protocol
// message carries protocol.EventsMax events at most, about 10 ms of them.
const yieldAfter = 8 * time.Millisecond

// dispatch delivers the worker's messages, in order, until it is gone,
// sleeping a moment between two of them once it has held the thread for
// yieldAfter: with nothing else to run, Go then returns to the browser,
// which can draw a frame.
func (w *worker) dispatch() {
	for {
		select {
		case <-w.wake:
		case <-w.gone:
			return
		}
		w.mu.Lock()
		batch := w.inbox
		w.inbox = nil
		w.mu.Unlock()
		held := time.Now()
		for _, s := range batch {
			w.handle(s)
			if time.Since(held) > yieldAfter {
				time.Sleep(time.Millisecond)
				held = time.Now()
			}
		}
	}
}

func (w *worker) handle(s string) {
	msg, err := protocol.Decode([]byte(s))
	if err != nil {
		w.terminate(fmt.Errorf("worker sent %w", err))
		return
	}
	switch msg.Type {
	case protocol.ScriptReady:
		select {
		case <-w.ready: // said twice: once is enough
		default:
			close(w.ready)
		}
		return
	case protocol.ScriptExit, protocol.ScriptCrash:
		w.terminate(fmt.Errorf("worker crashed: %s", firstNonEmpty(msg.Error, msg.Type)))
		return
	}
	event := msg.Type == protocol.TypeEvent || msg.Type == protocol.TypeEvents
	w.mu.Lock()
	c := w.calls[msg.ID]
	if c != nil && !event {
		delete(w.calls, msg.ID)
	}
	w.mu.Unlock()
	switch {
	case c == nil:
		// an answer to a call given up on
	case event:
		bodies, err := protocol.Events(msg)
		if err != nil {
			w.terminate(fmt.Errorf("worker sent %w", err))
			return
		}
		if c.onEvent != nil {
			for _, b := range bodies {
				c.onEvent(b)
			}
		}
	default:
		c.done <- msg
	}
}

// call sends the export name with body and waits for the answer, passing
// events to onEvent. When ctx is done first it returns ctx.Err(), and if
// the call was under way it terminates the worker, whose work cannot be
// interrupted any other way.
func (w *worker) call(ctx context.Context, name string, body any, onEvent func(json.RawMessage)) (json.RawMessage, error) {
	select {
	case <-w.ready:
	case <-w.gone:
		return nil, w.why()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	c := &call{onEvent: onEvent, done: make(chan protocol.Message, 1)}
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return nil, w.err
	}
	w.nextID++
	id := w.nextID
	w.calls[id] = c
	w.mu.Unlock()
	w.post(protocol.Message{Type: name, ID: id, Body: raw})
	if !w.alive() {
		return nil, w.why()
	}
	select {
	case msg := <-c.done:
		return answer(ctx, msg)
	case <-w.gone:
		return nil, w.why()
	case <-ctx.Done():
		if !w.cancels {
			w.terminate(errStopped) // only this stops the work under way
			return nil, ctx.Err()
		}
	}
	w.post(protocol.Message{Type: protocol.TypeCancel, ID: id})
	grace := time.NewTimer(cancelGrace)
	defer grace.Stop()
	select {
	case msg := <-c.done:
		return answer(ctx, msg)
	case <-w.gone:
		return nil, w.why()
	case <-grace.C:
		w.terminate(fmt.Errorf("worker did not answer a cancel within %v", cancelGrace))
		return nil, ctx.Err()
	}
}

// answer is a call's outcome from its answer message. A call whose ctx
// is done fails with ctx.Err(), not the text of it that the worker sent.
func answer(ctx context.Context, msg protocol.Message) (json.RawMessage, error) {
	if msg.Type != protocol.TypeError {
		return msg.Body, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, errors.New(msg.Error)
}

// post sends one message to the worker, terminating it if that fails.
func (w *worker) post(msg protocol.Message) {
	data, err := json.Marshal(msg)
	if err == nil {
		_, err = w.js.Call("postMessage", string(data))
	}
	if err != nil {
		w.terminate(err)
	}
}

func (w *worker) why() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// alive reports whether the worker has neither died nor been stopped.
func (w *worker) alive() bool { return w.why() == nil }

// terminate stops the worker for the reason err; its calls fail with err.
// It is safe to call more than once.
func (w *worker) terminate(err error) {
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return
	}
	w.err = err
	w.calls = nil
	w.mu.Unlock()
	close(w.gone)
	_, _ = w.js.Call("terminate")
	w.release()
}

func (w *worker) release() {
	_ = w.js.Set("onmessage", safejs.Null())
	_ = w.js.Set("onerror", safejs.Null())
	for _, f := range w.funcs {
		f.Release()
	}
	w.funcs = nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func arg(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}
