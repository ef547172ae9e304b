// Package steady measures how steady the machine's CPU speed is, with
// nothing of Lanes in the way: the same block of arithmetic, timed again
// and again on one thread. Every other figure of `make bench` is only as
// good as this one. On the 2-core VM Lanes is measured on (3 Dec 2026),
// the same block took 1.8–2.2× as long in some stretches as in others, for
// tenths of a second to seconds at a time, on an idle machine, with no
// steal time counted, and each vCPU changed speed on its own: the host
// slows the guest's CPUs under its feet.
// A single run of a demo can land in either, so one run's speedup can be
// off by that much; compare medians of interleaved runs, and read this
// figure first.
//
//	go test -run '^$' -bench Steadiness -benchtime 1x ./core/bench/steady/
//	go test -run '^$' -bench Drift -benchtime 1x ./core/bench/steady/
package steady

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
)

// block is the work timed: a few milliseconds of multiplies and adds.
const block = 10_000_000

// blocks is how many are timed: about 2–4 s in all.
const blocks = 400

var sink uint64

// work is n steps of the arithmetic timed.
func work(n uint64) {
	var s uint64
	for j := uint64(0); j < n; j++ {
		s += j * j
	}
	sink += s
}

// BenchmarkSteadiness times blocks of the same work one after another and
// reports their spread: fastest, median, 90th percentile, slowest, and the
// share of blocks more than 1.3× the fastest.
func BenchmarkSteadiness(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range b.N {
		ms := make([]float64, blocks)
		for i := range ms {
			start := time.Now()
			work(block)
			ms[i] = float64(time.Since(start).Microseconds()) / 1000
		}
		slow := 0
		fastest := slices.Min(ms)
		for _, m := range ms {
			if m > 1.3*fastest {
				slow++
			}
		}
		sorted := slices.Sorted(slices.Values(ms))
		fmt.Printf("    the same %d-step block, %d times: fastest %.2f ms, median %.2f, p90 %.2f, slowest %.2f; %.0f%% of blocks over 1.3× the fastest\n",
			block, blocks, fastest, sorted[blocks/2], sorted[blocks*9/10], sorted[blocks-1], 100*float64(slow)/blocks)
		b.ReportMetric(fastest, "fastest-ms")
		b.ReportMetric(sorted[blocks/2], "median-ms")
		b.ReportMetric(sorted[blocks-1]/fastest, "slowest/fastest")
		b.ReportMetric(100*float64(slow)/blocks, "%-slow-blocks")
	}
}

// windowMs is the length of the windows BenchmarkDrift compares: about
// one of a demo's runs at its defaults in the browser.
const windowMs = 600

// windows is how many BenchmarkDrift times: about 12 s in all.
const windows = 20

// BenchmarkDrift runs the same work flat out in windows of windowMs, one
// after another, and reports how much two consecutive windows differ in
// the work they did: the ratio of the later's blocks to the earlier's,
// at its 10th, 50th and 90th percentiles and its extremes. Two strategies
// run one after the other are compared across two such windows: where
// this spread is wide, a single comparison of two runs decides little,
// and only medians of interleaved repeats (`runs`) can.
func BenchmarkDrift(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range b.N {
		done := make([]float64, windows)
		for w := range done {
			end := time.Now().Add(windowMs * time.Millisecond)
			for time.Now().Before(end) {
				work(block / 10)
				done[w]++
			}
		}
		ratios := make([]float64, 0, windows-1)
		for w := 1; w < windows; w++ {
			ratios = append(ratios, done[w]/done[w-1])
		}
		slices.Sort(ratios)
		n := len(ratios)
		fmt.Printf("    the same work in %d windows of %d ms, one after another: each window's work over the last's: p10 %.2f, median %.2f, p90 %.2f (%.2f–%.2f)\n",
			windows, windowMs, ratios[n/10], ratios[n/2], ratios[n*9/10], ratios[0], ratios[n-1])
		b.ReportMetric(ratios[n/10], "p10-ratio")
		b.ReportMetric(ratios[n*9/10], "p90-ratio")
		b.ReportMetric(ratios[0], "min-ratio")
		b.ReportMetric(ratios[n-1], "max-ratio")
	}
}
