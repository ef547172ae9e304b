//go:build !js

package bench_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"

	"lanes/core/internal/exact"
	"lanes/core/remote"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// sizeFlag is a size given as a whole number or a power of ten ("2e9").
func sizeFlag(name string, def uint64, usage string) *uint64 {
	v := def
	flag.Func(name, fmt.Sprintf("%s (default %d)", usage, def), func(s string) error {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > float64(workload.MaxSumSquaresHi) || f != float64(uint64(f)) {
			return fmt.Errorf("want a whole number from 0 to %d", uint64(workload.MaxSumSquaresHi))
		}
		v = uint64(f)
		return nil
	})
	return &v
}

var (
	sumsqSize  = sizeFlag("sumsq-size", 700_000_000, "sum i² for 0 ≤ i < sumsq-size")
	primesSize = sizeFlag("primes-size", 1_000_000_000, "count the primes below primes-size")
	tasks      = flag.Int("tasks", 8, "tasks each workload is split into")
	workers    = flag.Int("workers", 2, "K, the worker processes of the workers strategy")
)

// TestMain turns the test binary into a worker when the workers strategy
// starts it as one; without this the worker would run the benchmarks again.
func TestMain(m *testing.M) {
	remote.MainIfWorker()
	os.Exit(m.Run())
}

func split(kind workload.Kind, size uint64, n int) []strategy.Task {
	ts := make([]strategy.Task, n)
	for k := range ts {
		lo, hi := size*uint64(k)/uint64(n), size*uint64(k+1)/uint64(n)
		ts[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: kind, Lo: lo, Hi: hi}}
	}
	return ts
}

// bench runs the tasks with sequential, goroutines and workers, checking
// every answer against want.
func bench(b *testing.B, ts []strategy.Task, want string) {
	for _, id := range []string{strategy.Sequential, strategy.Goroutines, strategy.Workers} {
		b.Run(id, func(b *testing.B) {
			opt := strategy.Options{K: *workers}
			if strategy.UsesRemote(id) {
				pool := remote.NewProcs(*workers, remote.WorkerCommand)
				defer pool.Close()
				if err := pool.Start(); err != nil {
					b.Fatal(err)
				}
				opt.Remote = pool
			}
			b.ResetTimer()
			for b.Loop() {
				run := strategy.Run(context.Background(), id, ts, opt)
				if run.Result != want || run.Error != "" {
					b.Fatalf("%s: got %s (%s), want %s", id, run.Result, run.Error, want)
				}
			}
		})
	}
}

func BenchmarkSumSquares(b *testing.B) {
	bench(b, split(workload.KindSumSquares, *sumsqSize, *tasks), exact.SumSquaresBelow(*sumsqSize).String())
}

// BenchmarkPrimes checks each strategy against an answer the code under
// test has no part in: the published count at a power of ten, otherwise a
// plain sieve (package exact).
func BenchmarkPrimes(b *testing.B) {
	want := exact.PrimesBelow(*primesSize)
	bench(b, split(workload.KindPrimes, *primesSize, *tasks), strconv.FormatUint(want, 10))
}
