package demo

import (
	"sync"
	"testing"
	"time"
)

// BenchmarkRaceMutex measures what timing the waits for the mutex costs
// the race demo's mutex variant: four goroutines adding to one counter
// 100,000 times each (its defaults), locking plainly or with lock, which
// reads the clock only when another holds the mutex:
//
//	go test -run '^$' -bench RaceMutex -count 5 ./core/demo
func BenchmarkRaceMutex(b *testing.B) {
	const tasks, size = 4, 100_000
	for _, timed := range []bool{false, true} {
		name := "plain"
		if timed {
			name = "timed"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var mu sync.Mutex
				var counter int64
				var wg sync.WaitGroup
				for range tasks {
					wg.Go(func() {
						var waited time.Duration
						for range size {
							if timed {
								lock(&mu, &waited)
							} else {
								mu.Lock()
							}
							counter++
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			}
		})
	}
}
