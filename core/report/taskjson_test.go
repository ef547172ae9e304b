package report

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oddStrings need encoding/json's escaping, or are at its edges.
var oddStrings = []string{"", "15129", `say "hi"`, `C:\dir`, "<a & b>", "tab\there", "line\nbreak",
	"\x00\x1f\x7f", "héllo", "日本", "\u2028\u2029", "bad \xff utf-8", "emoji 🙂", "/slash/"}

// oddFloats are at the edges of encoding/json's two formats.
var oddFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 12.345678, 1e-6, 9.99e-7, 1e-7, 1.5e-300,
	1e20, 1e21, 123456789012345, 9007199254740.993, 4503599627370497, 0.0005, -0.001, 8589934.591, 8589934.592, 123456789012345680000, -1e21, math.MaxFloat64, math.SmallestNonzeroFloat64, 200, 0.001}

func randomTask(r *rand.Rand) Task {
	f := func() float64 {
		if r.IntN(3) == 0 {
			return oddFloats[r.IntN(len(oddFloats))]
		}
		return math.Round(r.Float64()*1e9) / 1e6
	}
	s := func() string { return oddStrings[r.IntN(len(oddStrings))] }
	t := Task{ID: r.IntN(20000) - 10, Lane: r.IntN(100) - 1, StartMs: f(), EndMs: f(), DeliveredMs: f(),
		Bytes: r.Int64N(1 << 40), Value: s(), Error: s()}
	if r.IntN(2) == 0 {
		t.LatencyMs = f()
	}
	for range r.IntN(5) {
		t.Phases = append(t.Phases, Phase{State: []string{StateQueued, StateIOWait, StateUndelivered, s()}[r.IntN(4)], StartMs: f(), EndMs: f()})
	}
	if r.IntN(10) == 0 {
		t.Phases = []Phase{} // written as none, as encoding/json omits it
	}
	return t
}

// TestTaskJSONIsEncodingJSONs checks AppendJSON against encoding/json
// byte for byte, and that UnmarshalJSON reads back what encoding/json
// reads, on random tasks with odd strings and times.
func TestTaskJSONIsEncodingJSONs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		task := randomTask(r)
		want, err := json.Marshal(plainTask(task))
		require.NoError(t, err)
		got, err := task.AppendJSON([]byte("x"))
		require.NoError(t, err)
		require.Equal(t, "x"+string(want), string(got), "%#v", task)

		var back, ref Task
		require.NoError(t, back.UnmarshalJSON(want))
		require.NoError(t, json.Unmarshal(want, (*plainTask)(&ref)))
		require.Equal(t, ref, back)
	}
}

func TestTaskJSONRejectsWhatEncodingJSONRejects(t *testing.T) {
	_, err := Task{StartMs: math.NaN()}.AppendJSON(nil)
	assert.Error(t, err, "NaN is no JSON number")
	_, err = Task{Phases: []Phase{{EndMs: math.Inf(1)}}}.AppendJSON(nil)
	assert.Error(t, err)

	for _, in := range []string{``, `{`, `[]`, `{"id":1.5}`, `{"id":1e2,"lane":0}`, `{"id":99999999999999999999}`,
		`{"id":1,"lane":2,"start_ms":1e400,"end_ms":0,"delivered_ms":0,"bytes":0,"value":"","error":""}`,
		`{"id":1,"lane":2,"start_ms":01,"end_ms":0,"delivered_ms":0,"bytes":0,"value":"","error":""}`,
		`{"id":1,"lane":2,"start_ms":1,"end_ms":0,"delivered_ms":0,"bytes":0,"value":"","error":""}x`,
		`{"id":1,"lane":2,"start_ms":1,"end_ms":0,"delivered_ms":0,"bytes":0,"value":"","error":"","phases":[{"state":"queued","start_ms":0,"end_ms":1},]}`,
	} {
		var got Task
		assert.Error(t, got.UnmarshalJSON([]byte(in)), "%s", in)
	}
}

// TestTaskJSONReadsAnyLayout checks that a task written another way —
// keys in another order, spaces, escapes, keys it does not know — reads
// as encoding/json reads it, and that absent fields are left as they were.
func TestTaskJSONReadsAnyLayout(t *testing.T) {
	for _, in := range []string{
		`{"lane":3,"id":7,"value":"49","phases":[{"end_ms":2,"state":"io-wait","start_ms":1}]}`,
		`{ "id" : 7 , "lane" : 3 , "start_ms" : 1.5 , "end_ms" : 2 , "delivered_ms" : 2 , "bytes" : 0 , "value" : "49" , "error" : "" }`,
		`{"id":7,"lane":3,"start_ms":1,"end_ms":2,"delivered_ms":2,"bytes":0,"value":"\u0034\u0039","error":"a\nb"}`,
		`{"id":7,"lane":3,"start_ms":1,"end_ms":2,"delivered_ms":2,"bytes":0,"value":"49","error":"","extra":true}`,
		`{"id":7,"lane":3,"start_ms":1,"end_ms":2,"delivered_ms":2,"bytes":0,"value":"49","error":"","phases":[]}`,
		`null`,
	} {
		before := Task{ID: 1, LatencyMs: 200, Phases: []Phase{{State: StateQueued}}}
		got, want := before, before
		require.NoError(t, got.UnmarshalJSON([]byte(in)), in)
		require.NoError(t, json.Unmarshal([]byte(in), (*plainTask)(&want)), in)
		assert.Equal(t, want, got, in)
	}
}

// FuzzTaskJSON checks that UnmarshalJSON gives what encoding/json gives,
// or fails where it fails, on any input.
func FuzzTaskJSON(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		b, _ := randomTask(r).AppendJSON(nil)
		f.Add(b)
	}
	f.Add([]byte(`{"id":1,"lane":0,"start_ms":1,"end_ms":2,"delivered_ms":2,"bytes":0,"value":"","error":"","latency_ms":5,"phases":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		before := Task{ID: -5, LatencyMs: 7, Phases: []Phase{{State: StateCompute, EndMs: 1}}}
		got, want := before, before
		gotErr := got.UnmarshalJSON(in)
		wantErr := json.Unmarshal(in, (*plainTask)(&want))
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: error %v, encoding/json's %v", in, gotErr, wantErr)
		}
		if wantErr == nil {
			assert.Equal(t, want, got, "%q", in)
			b, err := got.AppendJSON(nil)
			if err == nil {
				ref, _ := json.Marshal(plainTask(got))
				assert.Equal(t, string(ref), string(b))
			}
		}
	})
}
