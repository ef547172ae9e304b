package runapi

import (
	"strings"
	"testing"
)

// FuzzParseBody checks that parseBody never panics and gives back only
// names and values that were strings or numbers in a flat object.
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
		for k, v := range values {
			if strings.ContainsAny(v, "{}[]") && !strings.Contains(body, v) {
				t.Fatalf("%q: value %q of %q came from nowhere", body, v, k)
			}
		}
		for _, k := range ignored {
			if _, ok := values[k]; ok {
				t.Fatalf("%q: page parameter %q kept", body, k)
			}
		}
	})
}
