// Package task is the order demo's work written against the task API:
// tasks of very unequal length — task k lasts 1 to 7 units of 50 ms —
// each answering k², so you can see which result came when. Compare
// ordered (results in submission order) with as-completed. With n = 8
// the values add up to 140.
//
// The task waits, as an I/O task does: on a timer, or on ctx when the run
// is stopped first.
package task

import (
	"context"
	"strconv"
	"time"
)

// unit is one unit of task length, as the demo's latency knob.
const unit = 50 * time.Millisecond

// Task waits its length, then answers i².
func Task(ctx context.Context, i, n int) (string, error) {
	units := 1 + (i*5+3)%7
	select {
	case <-time.After(time.Duration(units) * unit):
		return strconv.Itoa(i * i), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
