package build

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"lanes/core/starter"
)

// FuzzCheckSource: whatever the source, the checks neither panic nor pass
// what they refuse, and every refusal is a 422 with diagnostics on lines
// the source has.
func FuzzCheckSource(f *testing.F) {
	for _, st := range starter.All() {
		f.Add(st.Code)
	}
	f.Add("package task\n\nimport \"os\"\n")
	f.Add("package task\n\n//go:embed x\nvar x string\n")
	f.Add("package task\n\n/*\n#cgo LDFLAGS: -lm\n*/\nimport \"C\"\n")
	f.Add("\ufeffpackage task\n\nfunc Task(\n")
	f.Fuzz(func(t *testing.T, src string) {
		err := checkSource([]byte(src))
		if err == nil {
			return
		}
		var r *refusal
		if !errors.As(err, &r) || r.status != http.StatusUnprocessableEntity || len(r.diags) == 0 {
			t.Fatalf("a refusal must be a 422 with diagnostics: %#v", err)
		}
		lines := bytes.Count([]byte(src), []byte("\n")) + 1
		for _, d := range r.diags {
			if d.Line < 0 || d.Line > lines || d.Column < 0 || d.Message == "" {
				t.Fatalf("diagnostic %+v outside a source of %d lines", d, lines)
			}
		}
	})
}
