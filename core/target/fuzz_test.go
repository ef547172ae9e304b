//go:build !js

package target

import (
	"math"
	"net/url"
	"testing"
)

// FuzzParse checks that Parse never panics and that whatever it accepts is
// within the bounds, for any name and raw query.
func FuzzParse(f *testing.F) {
	f.Add("jython", "bytes=10394&delay=100ms")
	f.Add("dice", "bytes=277&jitter=5ms&fail=0.5")
	f.Add("x", "fail=NaN")
	f.Add("a.b", "delay=9999999999h&bytes=-1")
	f.Add("", "bytes=1&bytes=2")
	f.Fuzz(func(t *testing.T, name, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, err := Parse(name, q)
		if err != nil {
			return
		}
		if p.Bytes < 0 || p.Bytes > MaxBytes {
			t.Fatalf("bytes %d accepted", p.Bytes)
		}
		if p.Delay < 0 || p.Jitter < 0 || p.Delay+p.Jitter > MaxDelay {
			t.Fatalf("delay %v, jitter %v accepted", p.Delay, p.Jitter)
		}
		if math.IsNaN(p.Fail) || p.Fail < 0 || p.Fail > 1 {
			t.Fatalf("fail %v accepted", p.Fail)
		}
		if !validName.MatchString(p.Name) {
			t.Fatalf("name %q accepted", p.Name)
		}
		for k, vs := range q {
			if len(vs) != 1 {
				t.Fatalf("%s given %d times accepted", k, len(vs))
			}
		}
	})
}
