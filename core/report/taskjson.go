package report

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"lanes/core/internal/plainjson"
)

// A task's JSON, written and read without reflection: a run of 10,000
// tasks sends each of them as an event from the worker that ran it to the
// page, and in wasm encoding/json took 17 µs to write a task and more to
// read it, on the threads that run the tasks and draw them. AppendJSON
// writes exactly what encoding/json writes; UnmarshalJSON reads that
// layout itself and hands anything else to encoding/json, so that both
// give the same task, or the same error, for any input.

// plainTask is Task without its methods, for encoding/json.
type plainTask Task

// AppendJSON appends the task as encoding/json writes it, byte for byte;
// a time that is not a finite number is encoding/json's error.
func (t Task) AppendJSON(b []byte) ([]byte, error) {
	if !finite(t.StartMs, t.EndMs, t.DeliveredMs, t.LatencyMs) || !phasesFinite(t.Phases) {
		_, err := json.Marshal(plainTask(t))
		return b, err
	}
	b = slices.Grow(b, 256)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(t.ID), 10)
	b = append(b, `,"lane":`...)
	b = strconv.AppendInt(b, int64(t.Lane), 10)
	b = append(b, `,"start_ms":`...)
	b = appendFloat(b, t.StartMs)
	b = append(b, `,"end_ms":`...)
	b = appendFloat(b, t.EndMs)
	b = append(b, `,"delivered_ms":`...)
	b = appendFloat(b, t.DeliveredMs)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, t.Bytes, 10)
	b = append(b, `,"value":`...)
	b = plainjson.AppendString(b, t.Value)
	b = append(b, `,"error":`...)
	b = plainjson.AppendString(b, t.Error)
	if t.LatencyMs != 0 {
		b = append(b, `,"latency_ms":`...)
		b = appendFloat(b, t.LatencyMs)
	}
	if len(t.Phases) > 0 {
		b = append(b, `,"phases":[`...)
		for i, p := range t.Phases {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"state":`...)
			b = plainjson.AppendString(b, p.State)
			b = append(b, `,"start_ms":`...)
			b = appendFloat(b, p.StartMs)
			b = append(b, `,"end_ms":`...)
			b = appendFloat(b, p.EndMs)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func finite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

func phasesFinite(ps []Phase) bool {
	for _, p := range ps {
		if !finite(p.StartMs, p.EndMs) {
			return false
		}
	}
	return true
}

// appendFloat writes a finite float64 as encoding/json does: the shortest
// decimal that reads back the same, with an exponent only below 1e-6 or
// from 1e21 on, and no leading zero in a negative exponent. A time to the
// microsecond (Ms), n/1000 for an n under 2³³, it writes itself: its three
// decimals are then that shortest decimal, which strconv takes longer to
// find in wasm.
func appendFloat(b []byte, f float64) []byte {
	if n := math.Round(f * 1000); n != 0 && math.Abs(n) < 1<<33 && n/1000 == f {
		return appendMicros(b, int64(n))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendMicros writes n/1000 with its decimals, trailing zeros dropped.
func appendMicros(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1000, 10)
	if frac := n % 1000; frac != 0 {
		b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return b
}

// UnmarshalJSON reads a task. The layout AppendJSON writes, with plain
// strings, it reads itself; any other input goes to encoding/json.
func (t *Task) UnmarshalJSON(data []byte) error {
	if r := (taskReader{data: data}); r.task(t) {
		return nil
	}
	return json.Unmarshal(data, (*plainTask)(t))
}

// taskReader reads the layout AppendJSON writes, and nothing else: it
// says false at the first byte it does not expect, before it changes the
// task, so that encoding/json can read the input from the start.
type taskReader struct {
	data []byte
	i    int
}

func (r *taskReader) task(t *Task) bool {
	var n Task
	ok := r.next(`{"id":`) && r.int(&n.ID) &&
		r.next(`,"lane":`) && r.int(&n.Lane) &&
		r.next(`,"start_ms":`) && r.float(&n.StartMs) &&
		r.next(`,"end_ms":`) && r.float(&n.EndMs) &&
		r.next(`,"delivered_ms":`) && r.float(&n.DeliveredMs) &&
		r.next(`,"bytes":`) && r.int64(&n.Bytes) &&
		r.next(`,"value":`) && r.string(&n.Value) &&
		r.next(`,"error":`) && r.string(&n.Error)
	if !ok {
		return false
	}
	n.LatencyMs = t.LatencyMs // encoding/json leaves an absent field as it was
	if r.next(`,"latency_ms":`) && !r.float(&n.LatencyMs) {
		return false
	}
	n.Phases = t.Phases
	if r.next(`,"phases":[`) {
		n.Phases = make([]Phase, 0, 4) // most tasks have three or four
		for !r.next("]") {
			var p Phase
			if len(n.Phases) > 0 && !r.next(",") {
				return false
			}
			if !(r.next(`{"state":`) && r.state(&p.State) &&
				r.next(`,"start_ms":`) && r.float(&p.StartMs) &&
				r.next(`,"end_ms":`) && r.float(&p.EndMs) && r.next("}")) {
				return false
			}
			n.Phases = append(n.Phases, p)
		}
	}
	if !r.next("}") || r.i != len(r.data) {
		return false
	}
	*t = n
	return true
}

// next reads s if it comes next, and says whether it did.
func (r *taskReader) next(s string) bool {
	i, ok := plainjson.Skip(r.data, r.i, s)
	r.i = i
	return ok
}

// number reads a JSON number and returns its text.
func (r *taskReader) number() ([]byte, bool) {
	d, i := r.data, r.i
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = digits(d, i)
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		if j := digits(d, i+1); j > i+1 {
			i = j
		} else {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if j := digits(d, i); j > i {
			i = j
		} else {
			return nil, false
		}
	}
	num := d[r.i:i]
	r.i = i
	return num, true
}

// micros reads a JSON number of at most three decimals and under 2⁵³
// thousandths as a count of thousandths, which strconv takes longer to
// read in wasm. Negative zero it leaves to strconv.
func micros(num []byte) (int64, bool) {
	neg := len(num) > 0 && num[0] == '-'
	if neg {
		num = num[1:]
	}
	var n int64
	decimals := -1
	for _, c := range num {
		switch {
		case c == '.' && decimals < 0:
			decimals = 0
		case c >= '0' && c <= '9' && decimals < 3 && n < 1<<49:
			n = n*10 + int64(c-'0')
			if decimals >= 0 {
				decimals++
			}
		default:
			return 0, false
		}
	}
	for range 3 - max(decimals, 0) {
		n *= 10
	}
	if n >= 1<<53 {
		return 0, false
	}
	if neg {
		if n == 0 {
			return 0, false
		}
		n = -n
	}
	return n, true
}

func digits(d []byte, i int) int {
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

func (r *taskReader) int(v *int) bool {
	var n int64
	if !r.int64(&n) || int64(int(n)) != n {
		return false
	}
	*v = int(n)
	return true
}

func (r *taskReader) int64(v *int64) bool {
	num, ok := r.number()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(string(num), 10, 64)
	*v = n
	return err == nil
}

func (r *taskReader) float(v *float64) bool {
	num, ok := r.number()
	if !ok {
		return false
	}
	if n, ok := micros(num); ok {
		*v = float64(n) / 1000 // correctly rounded, as ParseFloat is
		return true
	}
	f, err := strconv.ParseFloat(string(num), 64)
	*v = f
	return err == nil
}

// string reads a string of plain bytes (plainjson.Plain) only.
func (r *taskReader) string(v *string) bool {
	str, i := plainjson.String(r.data, r.i)
	if i < 0 {
		return false
	}
	*v, r.i = str, i
	return true
}

// state reads a phase's state: the constant's string when it names one,
// not a copy (a run of 10,000 tasks has about 30,000 of them).
func (r *taskReader) state(v *string) bool {
	d := r.data
	if r.i >= len(d) || d[r.i] != '"' {
		return false
	}
	for _, s := range States {
		if end := r.i + 1 + len(s); end < len(d) && d[end] == '"' && string(d[r.i+1:end]) == s {
			*v, r.i = s, end+1
			return true
		}
	}
	return r.string(v)
}
