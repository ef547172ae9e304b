package plainjson

import (
	"encoding/json"
	"testing"
)

// TestStringsAsEncodingJSON writes and reads every string of up to two
// bytes, and a few longer ones, against encoding/json: what AppendString
// writes is what encoding/json writes, and what String reads is what
// encoding/json reads from it, or String leaves it to encoding/json.
func TestStringsAsEncodingJSON(t *testing.T) {
	strs := []string{"", "sequential", "a<b", "tab\there", "é", `"quoted"`, `back\slash`, "\x7f", "\xff"}
	for a := range 256 {
		strs = append(strs, string([]byte{byte(a)}))
		for b := range 256 {
			strs = append(strs, string([]byte{byte(a), byte(b)}))
		}
	}
	plain := 0
	for _, s := range strs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got[1:], want)
		}
		got, end := String(append(want, ','), 0)
		if end < 0 {
			continue // for encoding/json
		}
		plain++
		var read string
		if err := json.Unmarshal(want, &read); err != nil {
			t.Fatal(err)
		}
		if got != read || end != len(want) {
			t.Fatalf("String(%s) = %q, %d; encoding/json %q, %d", want, got, end, read, len(want))
		}
	}
	// Every string of printable ASCII but " \ < > &: 90 bytes, 90² pairs,
	// the empty string and "sequential".
	if want := 2 + 90 + 90*90; plain != want {
		t.Fatalf("%d strings read as plain, want %d", plain, want)
	}
}

func TestSkip(t *testing.T) {
	d := []byte(`{"run":{}}`)
	if i, ok := Skip(d, 0, `{"run":`); !ok || i != 7 {
		t.Fatalf("Skip = %d, %v", i, ok)
	}
	if i, ok := Skip(d, 7, `{}}x`); ok || i != 7 {
		t.Fatalf("Skip past the end = %d, %v", i, ok)
	}
	if _, ok := Skip(d, 1, `{`); ok {
		t.Fatal("Skip of what is not there")
	}
}
