package report

import "time"

// Ms is d in milliseconds, to the microsecond: the unit of every time in a
// report.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// MsSince is the time since t in milliseconds, to the microsecond: the
// clock of a run, a worker's request, a live drawing.
func MsSince(t time.Time) float64 { return Ms(time.Since(t)) }
