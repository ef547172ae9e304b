package protocol

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

var codecMessages = []Message{
	{Type: TypeResult, ID: 3, Body: json.RawMessage(`{"a":[1,"x]}\""],"b":{}}`)},
	{Type: TypeEvents, ID: 1 << 60, Body: json.RawMessage(`[{"a":1},2,"three",null,[4]]`)},
	{Type: TypeEvent, ID: 0, Body: json.RawMessage(`"just a string"`)},
	{Type: TypeError, ID: 9, Error: `worker: "quoted" <b> & ünïcode\n`},
	{Type: TypeError, ID: 9, Body: json.RawMessage(`12.5e3`), Error: "both"},
	{Type: "odd \"type\"", ID: 12},
	{Type: ScriptReady},
}

// TestEncodeIsEncodingJSONs checks that a message is written as
// encoding/json writes it (its body compact, as every body is), and reads
// back whole.
func TestEncodeIsEncodingJSONs(t *testing.T) {
	for _, msg := range codecMessages {
		want, err := json.Marshal(msg)
		require.NoError(t, err)
		got := encode(msg)
		assert.Equal(t, string(want), string(got))
		back, err := Decode(got)
		require.NoError(t, err)
		assert.Equal(t, msg, back)
	}
}

// TestDecodeReadsAnyLayout checks messages written another way — spaces,
// keys in another order, escapes — read as encoding/json reads them, and
// that what is no message is an error.
func TestDecodeReadsAnyLayout(t *testing.T) {
	for _, in := range []string{
		`{"id":3,"type":"result","body":[1,2]}`,
		`{ "type" : "result" , "id" : 3 , "body" : [1, 2] }`,
		`{"type":"res\u0075lt","id":3,"error":"x","body":{"k":"v"}}`,
		`{"type":"result","id":3,"body":{"k":"v"},"extra":1}`,
		`{"type":"result","id":3}`,
	} {
		var want Message
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		got, err := Decode([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{``, `[1]`, `{"type":"result","id":-1}`, `{"type":"result","id":3,"body":[1,2}`,
		`{"type":"result","id":3,"body":"open}`, `{"type":"result","id":03}`, `{"type":"result","id":3}x`} {
		_, err := Decode([]byte(in))
		assert.ErrorIs(t, err, ErrMalformed, in)
	}
}

// TestEventsSplitsAsEncodingJSON checks the split of a TypeEvents body
// against encoding/json's, as written by joinEvents and otherwise.
func TestEventsSplitsAsEncodingJSON(t *testing.T) {
	task, err := report.Task{ID: 7, Value: `a "b" [c]`, Phases: []report.Phase{{State: report.StateQueued, EndMs: 1}}}.AppendJSON(nil)
	require.NoError(t, err)
	for _, body := range []string{
		string(joinEvents([]json.RawMessage{task, task, json.RawMessage(`{"x":"]"}`), json.RawMessage(`-1.5e3`)})),
		`[]`, `[ 1 , 2 ]`, `[true,false,null]`, `[[],{},""]`,
	} {
		var want []json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(body), &want))
		got, err := Events(Message{Type: TypeEvents, Body: json.RawMessage(body)})
		require.NoError(t, err, body)
		assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), body)
	}
	for _, body := range []string{`[1,]`, `[,1]`, `[1 2]`, `{"a":1}`, `[`, `["open]`} {
		_, err := Events(Message{Type: TypeEvents, Body: json.RawMessage(body)})
		assert.ErrorIs(t, err, ErrMalformed, body)
	}
}

// FuzzDecode checks Decode against encoding/json on any input: what
// encoding/json reads, Decode reads the same; what it refuses, Decode
// refuses too, unless only the unchecked body was at fault.
func FuzzDecode(f *testing.F) {
	for _, msg := range codecMessages {
		f.Add(encode(msg))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var want Message
		wantErr := json.Unmarshal(in, &want)
		got, err := Decode(in)
		switch {
		case wantErr == nil:
			require.NoError(t, err, "%q", in)
			assert.Equal(t, want, got, "%q", in)
		case err == nil:
			assert.False(t, json.Valid(got.Body), "%q: a message encoding/json refuses, with a body it accepts", in)
		}
	})
}

// FuzzEvents does the same for the split of a TypeEvents body.
func FuzzEvents(f *testing.F) {
	f.Add([]byte(`[{"a":1},2,"three",null,[4]]`))
	f.Add([]byte(`[ 1 , "]" ]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var want []json.RawMessage
		wantErr := json.Unmarshal(body, &want)
		got, err := Events(Message{Type: TypeEvents, Body: body})
		switch {
		case wantErr == nil:
			require.NoError(t, err, "%q", body)
			assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "%q", body)
		case err == nil:
			valid := true
			for _, b := range got {
				valid = valid && json.Valid(b)
			}
			assert.False(t, valid, "%q: events encoding/json refuses, each of which it accepts", body)
		}
	})
}
