package workload

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkYield measures what a yield every checkEvery steps costs the sum
// of squares on the platform it runs on: "none" is the loop without one,
// "gosched" calls runtime.Gosched after every block, "gosched/4" after
// every fourth, "platform" calls this build's yield.
//
// Measured 2 Dec 2026 on the 2-core machine, quiet (load average about 1),
// ms per 2^24 terms, median (min) of 8 (go test -run '^$' -bench Yield
// -count 8 ./core/workload; -cpu 1; and with GOOS=js GOARCH=wasm in Node):
//
//	native, GOMAXPROCS 2  none 6.24 (6.22)  gosched 7.23 (7.13) +16%
//	                      gosched/4 6.47 (6.46) +4%  platform 6.26 (6.20)
//	native, GOMAXPROCS 1  none 6.24 (6.23)  gosched 6.34 (6.28) +2%
//	wasm in Node          none 7.19 (7.18)  gosched 7.30 (7.27) +1.5%
//	                      gosched/4 7.23 (7.19)  platform 7.26 (7.26)
//
// Natively the yield costs most when a second P is idle: runtime.Gosched
// puts the goroutine on the global run queue and the idle P may take it,
// so the lane hops between cores. The whole program shows it: sequential
// cpu-sumsq at 2·10⁹ (bin/lanes run cpu-sumsq --size 2000000000 --strategy
// sequential [--gomaxprocs 1]), interleaved, median of 5 before and 9
// after: with the yield, GOMAXPROCS 1 794 ms and GOMAXPROCS 2 874 ms
// (+10%), goroutines 2.17× and workers 2.16× "faster" on 2 cores; without
// it, 745 and 745 ms, goroutines 1.97× and workers 1.96×. In wasm the
// yield costs 1–1.5%, and it is what makes goroutines in one instance take
// turns every ~30 µs, so the browser build keeps it after every block.
func BenchmarkYield(b *testing.B) {
	const n = 1 << 24
	for _, c := range []struct {
		name string
		y    func()
	}{
		{"none", func() {}},
		{"gosched", runtime.Gosched},
		{"gosched/4", everyFourth(runtime.Gosched)},
		{"platform", yield},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				sumSquaresWith(ctx, 0, n, c.y)
			}
		})
	}
}

// everyFourth returns a function that calls y on every fourth call.
func everyFourth(y func()) func() {
	n := 0
	return func() {
		if n++; n%4 == 0 {
			y()
		}
	}
}

func TestKernelsTakeTurnsOnOneThread(t *testing.T) {
	// With one P, as in a wasm instance, another goroutine must get turns
	// while a kernel runs: natively by preemption, in wasm by yield. The
	// other goroutine stops the kernel after its third turn, so the test
	// takes a few turns' time however busy the machine is; a kernel that
	// never lets it run goes on to its end (seconds) and the test fails.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	kernels := map[string]func(ctx context.Context) error{
		"sumsq":  func(ctx context.Context) error { _, err := SumSquares(ctx, 0, 1<<32); return err },
		"primes": func(ctx context.Context) error { _, err := CountPrimes(ctx, 0, MaxPrimesHi); return err },
		"hash": func(ctx context.Context) error {
			_, err := Hash(ctx, make([]byte, 1<<16), 1<<16)
			return err
		},
	}
	for name, run := range kernels {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			started := make(chan struct{})
			done := make(chan error, 1)
			go func() {
				close(started)
				done <- run(ctx)
			}()
			<-started
			for turns := 0; ; turns++ {
				select {
				case err := <-done:
					if err == nil {
						t.Fatalf("the kernel ran to its end while the other goroutine had %d turns, want it to take turns", turns)
					}
					return // cut after the turns: it took turns
				default:
				}
				if turns == 3 {
					cancel()
				}
				runtime.Gosched()
			}
		})
	}
}
