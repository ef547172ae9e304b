package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

// sent collects what a Mux sends.
type sent struct {
	mu   sync.Mutex
	msgs []Message
}

func (s *sent) send(data []byte) {
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
}

func (s *sent) all() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func testExports() Exports {
	return Exports{
		ExportDo: DoHandler(workload.Runner{}),
		"echo": func(_ context.Context, body json.RawMessage, emit func(any)) (any, error) {
			var n int
			if err := json.Unmarshal(body, &n); err != nil {
				return nil, err
			}
			for i := range n {
				emit(i)
			}
			return n, nil
		},
		"fail": func(context.Context, json.RawMessage, func(any)) (any, error) {
			return nil, errors.New("no luck")
		},
		"panic": func(context.Context, json.RawMessage, func(any)) (any, error) {
			panic("boom")
		},
		// late leaves a goroutine emitting after the handler has returned.
		"late": func(_ context.Context, _ json.RawMessage, emit func(any)) (any, error) {
			go func() {
				for range 50 {
					emit("late")
					time.Sleep(time.Millisecond)
				}
			}()
			return "early", nil
		},
		"unencodable": func(context.Context, json.RawMessage, func(any)) (any, error) {
			return func() {}, nil
		},
	}
}

func TestMuxAnswersEachCallExactlyOnce(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		id     uint64
		typ    string
		events int
		body   string
		err    string
	}{
		{"result", `{"type":"echo","id":7,"body":3}`, 7, TypeResult, 3, `3`, ""},
		{"do", `{"type":"do","id":8,"body":{"id":1,"specs":[{"kind":"sumsq","lo":0,"hi":10}]}}`, 8, TypeResult, 0,
			`{"id":1,"results":[{"output":{"value":"285","phases":[{"state":"compute","start_ms":0,"end_ms":0}]},"start_ms":0,"end_ms":0}]}`, ""},
		{"bad body", `{"type":"echo","id":9,"body":"x"}`, 9, TypeError, 0, "", "cannot unmarshal"},
		{"handler error", `{"type":"fail","id":10}`, 10, TypeError, 0, "", "no luck"},
		{"panic", `{"type":"panic","id":11}`, 11, TypeError, 0, "", "panic: boom"},
		{"unknown call", `{"type":"nope","id":12}`, 12, TypeError, 0, "", `no call "nope"`},
		{"malformed", `{"type":`, 0, TypeError, 0, "", "malformed message"},
		{"late events", `{"type":"late","id":13}`, 13, TypeResult, -1, `"early"`, ""},
		{"unencodable answer", `{"type":"unencodable","id":14}`, 14, TypeError, 0, "", "answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sent
			m := NewMux(testExports(), s.send)
			m.Receive([]byte(tt.in))
			m.Wait()
			time.Sleep(60 * time.Millisecond) // let stray goroutines try to emit
			msgs := s.all()
			require.NotEmpty(t, msgs)
			last := msgs[len(msgs)-1]
			answers, events := 0, 0
			for _, msg := range msgs {
				assert.Equal(t, tt.id, msg.ID)
				bodies, err := Events(msg)
				require.NoError(t, err)
				events += len(bodies)
				if msg.Type != TypeEvent && msg.Type != TypeEvents {
					answers++
				}
			}
			assert.Equal(t, 1, answers, "answers in %v", msgs)
			assert.Equal(t, tt.typ, last.Type)
			if tt.events >= 0 {
				assert.Equal(t, tt.events, events)
			}
			if tt.body != "" {
				var got, want any
				require.NoError(t, json.Unmarshal(last.Body, &got))
				require.NoError(t, json.Unmarshal([]byte(tt.body), &want))
				if r, ok := got.(map[string]any); ok { // times vary
					for _, res := range r["results"].([]any) {
						res := res.(map[string]any)
						res["start_ms"], res["end_ms"] = 0.0, 0.0
						for _, p := range res["output"].(map[string]any)["phases"].([]any) {
							p.(map[string]any)["end_ms"] = 0.0
						}
					}
				}
				assert.Equal(t, want, got)
			}
			assert.Contains(t, last.Error, tt.err)
		})
	}
}

func TestMuxConcurrentCalls(t *testing.T) {
	var s sent
	m := NewMux(testExports(), s.send)
	const calls = 40
	for i := range calls {
		m.Receive(fmt.Appendf(nil, `{"type":"echo","id":%d,"body":%d}`, i+1, i%5))
	}
	m.Wait()
	answers := map[uint64]int{}
	events := map[uint64]int{}
	for _, msg := range s.all() {
		if bodies, err := Events(msg); err != nil || len(bodies) > 0 {
			require.NoError(t, err)
			assert.Zero(t, answers[msg.ID], "event after the answer to %d", msg.ID)
			events[msg.ID] += len(bodies)
			continue
		}
		assert.Equal(t, TypeResult, msg.Type)
		answers[msg.ID]++
	}
	for i := range calls {
		id := uint64(i + 1)
		assert.Equal(t, 1, answers[id], "answers to %d", id)
		assert.Equal(t, i%5, events[id], "events of %d", id)
	}
}

// TestMuxGathersBursts: a burst of events goes out in few messages — one
// an EventEvery at most after the first, which goes at once — every event
// once and in order; events further apart than EventEvery go out alone,
// as they come. How few is bounded by how long the burst took, which a
// busy machine stretches (in wasm, 10,000 events may take a second).
func TestMuxGathersBursts(t *testing.T) {
	var s sent
	const burst = 10_000
	m := NewMux(Exports{
		"burst": func(_ context.Context, _ json.RawMessage, emit func(any)) (any, error) {
			for i := range burst {
				emit(i)
			}
			return nil, nil
		},
		"sparse": func(_ context.Context, _ json.RawMessage, emit func(any)) (any, error) {
			for i := range 3 {
				emit(i)
				time.Sleep(2 * EventEvery)
			}
			return nil, nil
		},
	}, s.send)
	start := time.Now()
	m.Receive([]byte(`{"type":"burst","id":1}`))
	m.Wait()
	took := time.Since(start)
	msgs := s.all()
	// The first event, a message an EventEvery after it, those still
	// waiting at the end, and the answer; each gathering split into
	// messages of EventsMax events at most.
	most := 3 + int(took/EventEvery) + burst/EventsMax
	assert.LessOrEqual(t, len(msgs), most, "messages for %d events in %v", burst, took)
	assert.Equal(t, TypeEvent, msgs[0].Type, "the first event at once")
	var got []int
	for _, msg := range msgs[:len(msgs)-1] {
		bodies, err := Events(msg)
		require.NoError(t, err)
		require.NotEmpty(t, bodies, "%s: an event or events", msg.Type)
		require.LessOrEqual(t, len(bodies), EventsMax, "events in one message")
		for _, b := range bodies {
			var n int
			require.NoError(t, json.Unmarshal(b, &n))
			got = append(got, n)
		}
	}
	require.Len(t, got, burst)
	for i, n := range got {
		require.Equal(t, i, n)
	}
	assert.Equal(t, TypeResult, msgs[len(msgs)-1].Type)

	s = sent{}
	m = NewMux(m.exports, s.send)
	m.Receive([]byte(`{"type":"sparse","id":2}`))
	m.Wait()
	var types []string
	for _, msg := range s.all() {
		types = append(types, msg.Type)
	}
	assert.Equal(t, []string{TypeEvent, TypeEvent, TypeEvent, TypeResult}, types)
}

func TestEvents(t *testing.T) {
	one, err := Events(Message{Type: TypeEvent, Body: json.RawMessage(`{"a":1}`)})
	require.NoError(t, err)
	assert.Equal(t, []json.RawMessage{json.RawMessage(`{"a":1}`)}, one)
	two, err := Events(Message{Type: TypeEvents, Body: json.RawMessage(`[{"a":1},2]`)})
	require.NoError(t, err)
	assert.Equal(t, []json.RawMessage{json.RawMessage(`{"a":1}`), json.RawMessage(`2`)}, two)
	none, err := Events(Message{Type: TypeResult, Body: json.RawMessage(`[1]`)})
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = Events(Message{Type: TypeEvents, Body: json.RawMessage(`{"a":1}`)})
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestDecode(t *testing.T) {
	msg, err := Decode([]byte(`{"type":"result","id":3,"body":{"a":1}}`))
	require.NoError(t, err)
	assert.Equal(t, Message{Type: TypeResult, ID: 3, Body: json.RawMessage(`{"a":1}`)}, msg)
	_, err = Decode([]byte(`[1]`))
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestMuxCancel cancels a call under way by its ID: the handler sees its
// context done and the call is answered exactly once; a cancel for an
// unknown call is ignored, and a second call with an ID under way is refused.
func TestMuxCancel(t *testing.T) {
	var s sent
	started := make(chan struct{})
	m := NewMux(Exports{
		"block": func(ctx context.Context, _ json.RawMessage, _ func(any)) (any, error) {
			close(started)
			<-ctx.Done()
			return "cut", nil
		},
	}, s.send)
	m.Receive([]byte(`{"type":"cancel","id":99}`))
	m.Receive([]byte(`{"type":"block","id":5}`))
	<-started
	m.Receive([]byte(`{"type":"block","id":5}`))
	m.Receive([]byte(`{"type":"cancel","id":5}`))
	m.Wait()
	msgs := s.all()
	require.Len(t, msgs, 2, "%+v", msgs)
	assert.Equal(t, Message{Type: TypeError, ID: 5, Error: "protocol: call 5 is already under way"}, msgs[0])
	assert.Equal(t, Message{Type: TypeResult, ID: 5, Body: json.RawMessage(`"cut"`)}, msgs[1])
}
