//go:build !js

package demo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/report"
)

// stateTime sums, over the run's tasks, the time spent in each state, and
// counts the tasks that were ever in it (for a moment, too).
type stateTime struct {
	ms    map[string]float64
	tasks map[string]int
}

func timeIn(run report.Run) stateTime {
	st := stateTime{ms: map[string]float64{}, tasks: map[string]int{}}
	for _, t := range run.Tasks {
		seen := map[string]bool{}
		for _, p := range t.Phases {
			st.ms[p.State] += p.EndMs - p.StartMs
			if !seen[p.State] {
				st.tasks[p.State]++
				seen[p.State] = true
			}
		}
	}
	return st
}

// longest is the most time one of the run's tasks spent in state.
func longest(run report.Run, state string) float64 {
	most := 0.0
	for _, t := range run.Tasks {
		ms := 0.0
		for _, p := range t.Phases {
			if p.State == state {
				ms += p.EndMs - p.StartMs
			}
		}
		most = max(most, ms)
	}
	return most
}

// TestEveryDemoShowsItsStates runs every demo natively, small, with every
// strategy it has, and checks that each run's phases follow their rules
// and show what the demo teaches. The times asserted are floors (a
// target's delay, a wait's length), follow from the run's own recorded
// ends, or are far above what they bound, so a busy machine cannot fail
// them.
func TestEveryDemoShowsItsStates(t *testing.T) {
	const (
		queued, permit, dispatch = report.StateQueued, report.StatePermit, report.StateDispatch
		ioWait, transfer         = report.StateIOWait, report.StateTransfer
		compute, lock            = report.StateCompute, report.StateLock
		undelivered, cancelled   = report.StateUndelivered, report.StateCancelled
	)
	env := newEnv(t)
	cases := []struct {
		demo  string
		kv    []string
		check func(t *testing.T, run report.Run, st stateTime)
	}{
		{"io-download", []string{"tasks", "6", "workers", "2", "latency", "40ms"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Equal(t, 6, st.tasks[ioWait], "every download waits for its headers")
			assert.Equal(t, 6, st.tasks[transfer], "and transfers its body")
			assert.GreaterOrEqual(t, longest(run, ioWait), 39.0, "the target's delay")
			switch run.Strategy {
			case "semaphore":
				assert.GreaterOrEqual(t, longest(run, permit), 39.0, "tasks wait for one of 2 permits")
			case "pool", "sequential":
				assert.GreaterOrEqual(t, longest(run, queued), 39.0, "tasks wait for a free lane")
			case "workers":
				assert.Positive(t, st.tasks[dispatch], "handed over to worker processes")
			}
		}},
		{"cpu-sumsq", []string{"size", "1e6", "tasks", "4"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Equal(t, 4, st.tasks[compute])
			assert.Zero(t, st.tasks[ioWait]+st.tasks[transfer]+st.tasks[lock])
			if run.Strategy == "workers" || run.Strategy == "partition" {
				assert.Equal(t, 4, st.tasks[dispatch], "each task its own message")
			}
		}},
		{"cpu-primes", []string{"size", "1e6", "tasks", "4"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Equal(t, 4, st.tasks[compute])
		}},
		{"order", []string{"tasks", "4", "workers", "4", "latency", "50ms"}, func(t *testing.T, run report.Run, st stateTime) {
			// Task 0 is 4 units, task 1 only 2: in submission order task
			// 1's result waits about 2 units for task 0's. How long is
			// measured from the ends the run recorded, which a late start
			// moves; as completed, a result waits only to be handed over
			// (microseconds).
			assert.Equal(t, 4, st.tasks[ioWait])
			if run.Strategy != "ordered" {
				assert.Less(t, longest(run, undelivered), 80.0, "handed on as it completes")
				return
			}
			assert.Positive(t, longest(run, undelivered), "a result held behind a slower one")
			before := 0.0 // the latest end of the tasks submitted before
			for _, task := range run.Tasks {
				held := 0.0
				for _, p := range task.Phases {
					if p.State == undelivered {
						held += p.EndMs - p.StartMs
					}
				}
				assert.GreaterOrEqual(t, held, before-task.EndMs-0.001, "task %d held until those before it ended", task.ID)
				before = max(before, task.EndMs)
			}
		}},
		{"skew", []string{"size", "1e6", "tasks", "8", "chunk", "2"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Equal(t, 8, st.tasks[compute])
			want := 8
			if run.Strategy == "chunked" {
				want = 4 // the first task of each chunk of 2
			}
			assert.Equal(t, want, st.tasks[dispatch])
		}},
		{"pipeline", []string{"tasks", "4", "size", "50", "latency", "40ms"}, func(t *testing.T, run report.Run, st stateTime) {
			for _, task := range run.Tasks {
				var order []string
				for _, p := range task.Phases {
					if p.State == ioWait || p.State == transfer || p.State == compute {
						order = append(order, p.State)
					}
				}
				assert.Equal(t, []string{ioWait, transfer, compute}, order, "task %d: download, then compute", task.ID)
			}
			assert.GreaterOrEqual(t, longest(run, ioWait), 39.0)
			if run.Strategy == "hybrid" {
				assert.Equal(t, 4, st.tasks[dispatch], "each body handed to a worker")
			}
		}},
		{"race", []string{"tasks", "4", "size", "300000"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Equal(t, 4, st.tasks[lock], "waiting at the start for the others")
			assert.Equal(t, 4, st.tasks[compute])
			// Whether a task ever finds the mutex taken is the scheduler's
			// choice (on a busy machine, none did): TestRaceMutexWaits
			// makes them wait. What holds either way is how a wait is
			// drawn: a lock phase, back to computing after it, at most
			// once in each of the 32 stretches of 9375 increments that
			// 300000 cuts into. (One under a microsecond, a report's
			// resolution, is drawn with no length.)
			for _, task := range run.Tasks {
				waits := 0 // lock phases after some computing: for the mutex
				for i, p := range task.Phases {
					if p.State == lock && i > 0 && task.Phases[i-1].State == compute {
						waits++
						next := "" // none: the task ended waiting
						if i+1 < len(task.Phases) {
							next = task.Phases[i+1].State
						}
						assert.Equal(t, compute, next, "task %d: back to computing after its wait", task.ID)
					}
				}
				if run.Strategy == demo.RaceMutex {
					assert.LessOrEqual(t, waits, 32, "task %d: a wait drawn for each stretch at most", task.ID)
				} else {
					assert.Zero(t, waits, "task %d: no mutex, no wait for it", task.ID)
				}
			}
		}},
		{"cancel", []string{"tasks", "6", "timeout", "100ms"}, func(t *testing.T, run report.Run, st stateTime) {
			assert.Positive(t, st.tasks[cancelled])
			for _, task := range run.Tasks {
				if task.Lane < 0 {
					assert.Equal(t, []string{queued, cancelled}, []string{task.Phases[0].State, task.Phases[1].State},
						"task %d, never started", task.ID)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.demo, func(t *testing.T) {
			cfg := parse(t, append([]string{"demo", c.demo}, c.kv...)...)
			rep := runAll(t, env, cfg)
			for _, run := range rep.Runs {
				t.Run(run.Strategy, func(t *testing.T) {
					assert.Empty(t, run.CheckPhases())
					for _, task := range run.Tasks {
						require.NotEmpty(t, task.Phases, "task %d", task.ID)
					}
					c.check(t, run, timeIn(run))
				})
			}
		})
	}
}
