package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
	"lanes/core/remote"
	"lanes/core/workload"
)

// MaxSize bounds the pool: the most workers a demo can ask for.
const MaxSize = 32

// Boot is what a worker is made from: the compiled app.wasm, the URL of
// worker.js and the URL of wasm_exec.js; Test lets the tests arm a
// worker's crash (protocol.ScriptFail, protocol.ExportFail).
type Boot struct {
	Module safejs.Value
	Script string
	Exec   string
	Test   bool
}

// A Pool is a set of Web Workers, numbered lanes. It implements
// remote.Pool. Its zero value is not usable: call New.
type Pool struct {
	boot Boot
	mu   sync.Mutex
	lane []*worker
	err  error // the last failure to spawn
}

var _ remote.Pool = (*Pool)(nil)

// New starts a pool of size workers (at least 1, at most MaxSize).
func New(boot Boot, size int) *Pool {
	p := &Pool{boot: boot}
	p.Grow(size)
	return p
}

// Grow adds workers until the pool has k lanes (at most MaxSize).
func (p *Pool) Grow(k int) {
	k = min(max(k, 1), MaxSize)
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.lane) < k {
		w, err := spawn(p.boot, protocol.RoleCPU, 0)
		if err != nil {
			p.err = err
		}
		p.lane = append(p.lane, w) // nil is spawned again on use
	}
}

// Size implements remote.Pool.
func (p *Pool) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.lane)
}

// Ready waits until every worker listens, and returns the first failure.
func (p *Pool) Ready(ctx context.Context) error {
	p.mu.Lock()
	ws := append([]*worker(nil), p.lane...)
	err := p.err
	p.mu.Unlock()
	if err != nil {
		return err
	}
	for i, w := range ws {
		if w == nil {
			return fmt.Errorf("worker %d did not start", i)
		}
		select {
		case <-w.ready:
		case <-w.gone:
			return w.why()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// worker returns lane n's worker, replacing it first if it is gone.
func (p *Pool) worker(n int) (*worker, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n < 0 || n >= len(p.lane) {
		panic(fmt.Sprintf("pool: lane %d outside pool of %d", n, len(p.lane)))
	}
	if w := p.lane[n]; w != nil && w.alive() {
		return w, nil
	}
	w, err := spawn(p.boot, protocol.RoleCPU, 0)
	if err != nil {
		return nil, err
	}
	p.lane[n] = w
	return w, nil
}

// replace stops w, if it is still lane n's worker, and starts another in
// its place straight away, so that the pool is whole again for the next run.
func (p *Pool) replace(n int, w *worker, why error) {
	w.terminate(why)
	if _, err := p.worker(n); err != nil {
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
	}
}

// call runs one call on lane n, replacing the worker when it was stopped
// (ctx done during the call) or died.
func (p *Pool) call(ctx context.Context, n int, name string, body any, onEvent func(json.RawMessage)) (json.RawMessage, error) {
	w, err := p.worker(n)
	if err != nil {
		return nil, err
	}
	out, err := w.call(ctx, name, body, onEvent)
	if !w.alive() { // stopped, or died
		p.replace(n, w, w.why())
	}
	return out, err
}

// Do implements remote.Pool: it runs specs on lane n's worker.
func (p *Pool) Do(ctx context.Context, n int, specs []workload.Spec) ([]remote.Result, error) {
	out, err := p.call(ctx, n, protocol.ExportDo, remote.Request{ID: 1, Specs: specs}, nil)
	if err != nil {
		return nil, err
	}
	var resp remote.Response
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, fmt.Errorf("worker answer: %w", err)
	}
	if len(resp.Results) != len(specs) {
		return nil, fmt.Errorf("worker answered %d results for %d specs", len(resp.Results), len(specs))
	}
	return resp.Results, nil
}

// Run runs one strategy of a demo whole inside lane 0's worker, calling
// onEvent (from one goroutine) with each task event, and returns the
// worker's answer, a report.Run: both as the worker wrote them, for the
// coordinator to pass on undecoded. When ctx is done first, the worker is
// stopped and replaced, and Run returns ctx.Err().
func (p *Pool) Run(ctx context.Context, req protocol.RunRequest, onEvent func(json.RawMessage)) (json.RawMessage, error) {
	return p.call(ctx, 0, protocol.ExportRun, req, onEvent)
}

// Close implements remote.Pool: it stops every worker.
func (p *Pool) Close() error {
	p.mu.Lock()
	ws := p.lane
	p.lane = nil
	p.mu.Unlock()
	for _, w := range ws {
		if w != nil {
			if close, err := safejs.ValueOf(map[string]any{"type": protocol.ScriptClose}); err == nil {
				_, _ = w.js.Call("postMessage", close)
			}
			w.terminate(errors.New("pool closed"))
		}
	}
	return nil
}

// Status counts the pool's lanes, the workers alive and listening, and
// the calls under way.
func (p *Pool) Status() protocol.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := protocol.Status{Size: len(p.lane)}
	for _, w := range p.lane {
		if w == nil || !w.alive() {
			continue
		}
		select {
		case <-w.ready:
			st.Ready++
		default:
		}
		w.mu.Lock()
		st.Busy += len(w.calls)
		w.mu.Unlock()
	}
	return st
}

// Fail arms lane n's worker to fail with an uncaught error, as a crash
// does, when it is handed its next call: for the tests of crash recovery.
func (p *Pool) Fail(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n < 0 || n >= len(p.lane) || p.lane[n] == nil {
		return
	}
	if msg, err := safejs.ValueOf(map[string]any{"type": protocol.ScriptFail}); err == nil {
		_, _ = p.lane[n].js.Call("postMessage", msg)
	}
}
