package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			msg, values, err := parseInbound(tt.text)
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
