// Package plainjson reads and writes the plain parts of the JSON that
// Lanes writes by hand — a key, a string whose bytes stand for
// themselves — exactly as encoding/json writes and reads them. The hand
// readers of a task (core/report) and of a worker's message and answer
// (core/protocol) use it, and hand anything that is not plain to
// encoding/json.
package plainjson

import "encoding/json"

// Plain reports whether c stands for itself inside a JSON string as
// encoding/json writes and reads it: printable ASCII but the quote, the
// backslash and the three characters it escapes for HTML.
func Plain(c byte) bool {
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

// AppendString appends s as encoding/json writes it: plain bytes as they
// are, anything else as encoding/json writes it.
func AppendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !Plain(s[i]) {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// String reads a JSON string of plain bytes at d[i:], and returns it with
// the index after it; the index is -1 for anything else.
func String(d []byte, i int) (string, int) {
	if i >= len(d) || d[i] != '"' {
		return "", -1
	}
	for j := i + 1; j < len(d); j++ {
		switch c := d[j]; {
		case c == '"':
			return string(d[i+1 : j]), j + 1
		case !Plain(c):
			return "", -1
		}
	}
	return "", -1
}

// Skip returns the index after s, when s is at d[i:].
func Skip(d []byte, i int, s string) (int, bool) {
	if len(d)-i < len(s) || string(d[i:i+len(s)]) != s {
		return i, false
	}
	return i + len(s), true
}
