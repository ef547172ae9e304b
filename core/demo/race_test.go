package demo

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
	"lanes/core/strategy"
)

// TestRaceMutexWaits makes the mutex variant's tasks wait for their mutex,
// which on their own they do only when the scheduler runs two of them at
// once: the test holds the mutex until all four are blocked on it, and
// then a while more. Each task must draw the wait — a lock phase after it
// began computing — at least as long as the test held the mutex after the
// last one blocked, and no update may be lost.
func TestRaceMutexWaits(t *testing.T) {
	const tasks, size = 4, 10_000
	var mu sync.Mutex
	w := raceWork(Config{Tasks: tasks, Size: size}, RaceMutex, &mu)
	mu.Lock()
	var run report.Run
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		run = strategy.Run(context.Background(), strategy.Goroutines, w.tasks, strategy.Options{})
	}()
	assert.Eventually(t, func() bool { return waitingToLock() == tasks }, time.Minute, time.Millisecond,
		"every task blocked on the mutex")
	// Each task read its wait's start before it blocked, so before now, and
	// gets the mutex only after the unlock: its wait is at least the hold,
	// however long the hold turns out to be.
	start := time.Now()
	time.Sleep(10 * time.Millisecond)
	held := report.Ms(time.Since(start))
	mu.Unlock()
	<-ran
	w.judge(&run)

	assert.Empty(t, run.CheckPhases())
	want := strconv.Itoa(tasks * size)
	assert.Equal(t, want, run.Expected)
	assert.Equal(t, want, run.Result, "the mutex loses no update")
	for _, task := range run.Tasks {
		var waits []float64 // the task's waits for the mutex, in ms
		for i, p := range task.Phases {
			if p.State == report.StateLock && i > 0 && task.Phases[i-1].State == report.StateCompute {
				waits = append(waits, p.EndMs-p.StartMs)
			}
		}
		// Its first stretch of increments holds the wait; a report's
		// times are whole microseconds, which its start and end may each
		// have been rounded to.
		if assert.NotEmpty(t, waits, "task %d drew no wait for the mutex", task.ID) {
			assert.GreaterOrEqual(t, waits[0], held-0.001, "task %d: its wait, the test's hold at least", task.ID)
		}
	}
}

// waitingToLock counts the goroutines blocked in lock on a mutex, as the
// runtime's dump of all goroutines shows them: a "goroutine 7
// [sync.Mutex.Lock]:" whose stack goes through demo.lock. A task shown so
// has read the clock its wait is timed from.
func waitingToLock() int {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, " [sync.Mutex.Lock") && strings.Contains(g, "lanes/core/demo.lock(") {
			count++
		}
	}
	return count
}
