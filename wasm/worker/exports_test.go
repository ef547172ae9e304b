package worker

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/protocol"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// call sends one message through the worker's export table and returns
// everything it answered.
func call(t *testing.T, msg string) []protocol.Message {
	t.Helper()
	var mu sync.Mutex
	var out []protocol.Message
	mux := protocol.NewMux(exports(report.Here("browser"), workload.Runner{}), func(data []byte) {
		m, err := protocol.Decode(data)
		require.NoError(t, err)
		mu.Lock()
		out = append(out, m)
		mu.Unlock()
	})
	mux.Receive([]byte(msg))
	mux.Wait()
	return out
}

func TestRunExportStreamsTasksThenTheRun(t *testing.T) {
	tests := []struct {
		strategy string
		result   string
	}{
		{"sequential", "328350"},
		{"goroutines", "328350"},
		{"semaphore", "328350"},
	}
	for _, tt := range tests {
		t.Run(tt.strategy, func(t *testing.T) {
			body := fmt.Sprintf(`{"values":{"demo":"cpu-sumsq","size":"100","tasks":"4"},"strategy":%q}`, tt.strategy)
			msgs := call(t, `{"type":"run","id":5,"body":`+body+`}`)
			require.NotEmpty(t, msgs)
			events := 0
			for _, m := range msgs[:len(msgs)-1] {
				bodies, err := protocol.Events(m)
				require.NoError(t, err)
				require.NotEmpty(t, bodies, "%s: task events, then the answer", m.Type)
				for _, b := range bodies {
					var task report.Task
					require.NoError(t, json.Unmarshal(b, &task))
					assert.GreaterOrEqual(t, task.Lane, 0)
					assert.Empty(t, report.Run{Tasks: []report.Task{task}}.CheckPhases(), "its phases travel whole")
					assert.Contains(t, stateNames(task), report.StateCompute)
					events++
				}
			}
			assert.Equal(t, 4, events, "four task events")
			last := msgs[len(msgs)-1]
			require.Equal(t, protocol.TypeResult, last.Type, last.Error)
			assert.Equal(t, uint64(5), last.ID)
			var run report.Run
			require.NoError(t, json.Unmarshal(last.Body, &run))
			assert.Equal(t, tt.result, run.Result)
			assert.Equal(t, tt.strategy, run.Strategy)
			assert.Len(t, run.Tasks, 4)
			assert.Empty(t, run.CheckPhases())
			for _, task := range run.Tasks {
				assert.Equal(t, report.StateQueued, task.Phases[0].State)
				if tt.strategy == "semaphore" {
					assert.Contains(t, stateNames(task), report.StatePermit)
				}
			}
		})
	}
}

func TestRunExportErrors(t *testing.T) {
	tests := []struct{ name, body, err string }{
		{"bad config", `{"values":{"demo":"cpu-sumsq","size":"-1"},"strategy":"sequential"}`, "size"},
		{"remote strategy", `{"values":{"demo":"cpu-sumsq"},"strategy":"workers"}`, "no remote workers here"},
		{"unknown strategy", `{"values":{"demo":"cpu-sumsq"},"strategy":"magic"}`, `strategy "magic"`},
		{"not a run request", `[1,2]`, "run:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := call(t, `{"type":"run","id":9,"body":`+tt.body+`}`)
			require.Len(t, msgs, 1)
			assert.Equal(t, protocol.TypeError, msgs[0].Type)
			assert.Contains(t, msgs[0].Error, tt.err)
		})
	}
}

func TestDoExport(t *testing.T) {
	msgs := call(t, `{"type":"do","id":2,"body":{"id":1,"specs":[{"kind":"primes","lo":0,"hi":100},{"kind":"sumsq","lo":0,"hi":4}]}}`)
	require.Len(t, msgs, 1)
	require.Equal(t, protocol.TypeResult, msgs[0].Type, msgs[0].Error)
	var resp remote.Response
	require.NoError(t, json.Unmarshal(msgs[0].Body, &resp))
	require.Len(t, resp.Results, 2)
	assert.Equal(t, "25", resp.Results[0].Output.Value)
	assert.Equal(t, "14", resp.Results[1].Output.Value)
	for _, r := range resp.Results {
		require.Len(t, r.Output.Phases, 1, "the work's phases travel with its output")
		assert.Equal(t, report.StateCompute, r.Output.Phases[0].State)
		assert.Zero(t, r.Output.Phases[0].StartMs, "from the work's own start")
	}
}

// stateNames lists the states of the task's phases.
func stateNames(t report.Task) []string {
	var s []string
	for _, p := range t.Phases {
		s = append(s, p.State)
	}
	return s
}

// TestRunExportStreamedAnswer asks for a Streamed answer, as the page
// does: the answer repeats none of the tasks its events carried as they
// are, and the run put back from the events is whole.
func TestRunExportStreamedAnswer(t *testing.T) {
	for _, strategy := range []string{"sequential", "goroutines", "semaphore"} {
		t.Run(strategy, func(t *testing.T) {
			body := fmt.Sprintf(`{"values":{"demo":"cpu-sumsq","size":"100","tasks":"4"},"strategy":%q,"streamed":true}`, strategy)
			msgs := call(t, `{"type":"run","id":6,"body":`+body+`}`)
			require.NotEmpty(t, msgs)
			var streamed report.ByID[report.Task]
			for _, m := range msgs[:len(msgs)-1] {
				bodies, err := protocol.Events(m)
				require.NoError(t, err)
				for _, b := range bodies {
					var task report.Task
					require.NoError(t, json.Unmarshal(b, &task))
					streamed.Put(task.ID, task)
				}
			}
			last := msgs[len(msgs)-1]
			require.Equal(t, protocol.TypeResult, last.Type, last.Error)
			var answer protocol.RunAnswer
			require.NoError(t, json.Unmarshal(last.Body, &answer))
			assert.Len(t, answer.Order, 4)
			assert.Empty(t, answer.Run.Tasks, "every task went out in an event as it is")
			run, err := answer.Whole(&streamed)
			require.NoError(t, err)
			assert.Equal(t, "328350", run.Result) // Σ i² for i < 100 = 99·100·199/6
			require.Len(t, run.Tasks, 4)
			assert.Empty(t, run.CheckPhases())
			for _, task := range run.Tasks {
				got, ok := streamed.Get(task.ID)
				assert.True(t, ok)
				assert.Equal(t, got, task)
			}
		})
	}
}

// TestReadyGoroutinesLeavesNone: the goroutines readied are all gone when
// it returns, and a second call for as many or fewer starts none.
func TestReadyGoroutinesLeavesNone(t *testing.T) {
	before := runtime.NumGoroutine()
	readyGoroutines(2000)
	// Polled here, not with assert.Eventually, whose own goroutines count.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "the readied goroutines are gone")
	readied.Lock()
	assert.GreaterOrEqual(t, readied.n, 2000)
	readied.Unlock()
	readyGoroutines(1000)
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}
