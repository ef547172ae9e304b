package runapi

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"lanes/core/demo"
)

// FuzzParseBody checks that parseBody never panics, drops the page's own
// parameters, and reads back what it read when that is written out again.
func FuzzParseBody(f *testing.F) {
	for _, s := range []string{
		`{"demo":"cpu-sumsq","strategy":"sequential,workers","size":1000000}`,
		`{"size":1e8}`, `{"a":1,"a":2}`, `[1]`, `{"a":{"b":1}}`, `{"a":null}`, `{} x`, `{"a":"\u0000"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		values, err := parseBody(strings.NewReader(body))
		if err != nil {
			return
		}
		// What it read reads back the same, written as a flat object.
		again, err := json.Marshal(values)
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseBody(bytes.NewReader(again))
		if err != nil || !maps.Equal(values, back) {
			t.Fatalf("%q: read %v, then %v (%v)", body, values, back, err)
		}
		for _, k := range demo.PageKeys {
			if _, ok := values[k]; ok {
				t.Fatalf("%q: page parameter %q kept", body, k)
			}
		}
	})
}
