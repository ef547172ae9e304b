package protocol

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

func TestParseInbound(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		typ    string
		values map[string]string
		err    string
	}{
		{"run", `{"source":"lanes","type":"run","params":{"demo":"cpu-sumsq","size":1e8,"workers":2,"latency":"200ms"}}`,
			"run", map[string]string{"demo": "cpu-sumsq", "size": "1e8", "workers": "2", "latency": "200ms"}, ""},
		{"run without params", `{"source":"lanes","type":"run"}`, "run", map[string]string{}, ""},
		{"stop", `{"source":"lanes","type":"stop"}`, "stop", nil, ""},
		{"not an object", ``, "", nil, "malformed message: want an object"},
		{"a string", `"run"`, "", nil, "malformed message: want an object"},
		{"no source", `{"type":"stop"}`, "", nil, `source "", want "lanes"`},
		{"other source", `{"source":"react-devtools","type":"stop"}`, "", nil, `source "react-devtools"`},
		{"unknown type", `{"source":"lanes","type":"go"}`, "", nil, `type "go", want "run" or "stop"`},
		{"params not an object", `{"source":"lanes","type":"run","params":[1]}`, "", nil, "malformed message"},
		{"param an object", `{"source":"lanes","type":"run","params":{"size":{"a":1}}}`, "", nil, "params.size must be a string or a number"},
		{"param a bool", `{"source":"lanes","type":"run","params":{"size":true}}`, "", nil, "params.size must be a string or a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, values, err := ParseInbound(tt.text)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.typ, msg.Type)
			assert.Equal(t, tt.values, values)
		})
	}
}

// TestOutbound fixes the JSON each message posts: source and type always,
// and only the message's own fields, zeros included.
func TestOutbound(t *testing.T) {
	rep := &report.Report{Schema: report.Schema, Demo: "cpu-sumsq"}
	tests := []struct {
		msg  Outbound
		want string
	}{
		{Ready(), `{"source":"lanes","type":"ready"}`},
		{Progress(0, 8), `{"source":"lanes","type":"progress","done":0,"total":8}`},
		{Resize(460), `{"source":"lanes","type":"resize","height":460}`},
		{Failure("run: size: too big"), `{"source":"lanes","type":"error","message":"run: size: too big"}`},
		{Report(rep), `{"source":"lanes","type":"report","report":{"schema":"lanes.report/v1","demo":"cpu-sumsq","platform":{"kind":"","go":"","os":"","arch":"","cpus":0,"gomaxprocs":0},"params":null,"runs":null}}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.msg)
		require.NoError(t, err)
		assert.JSONEq(t, tt.want, string(got))
	}
}
