//go:build race

package demo_test

// raceOn: the race detector slows Go code five to tenfold, so tests that
// time CPU work shrink it.
const raceOn = true
