package trace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/report"
	"lanes/core/workload"
)

// check validates a trace, failing the test where it breaks a rule.
func check(t *testing.T, raw []byte) map[string]int {
	t.Helper()
	phases, err := Validate(raw)
	require.NoError(t, err)
	return phases
}

// TestValidateRefuses: each rule, broken once, is caught.
func TestValidateRefuses(t *testing.T) {
	named := `{"name":"process_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"p"}},{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{"name":"lane 0"}},{"name":"thread_sort_index","ph":"M","ts":0,"pid":1,"tid":1,"args":{"sort_index":0}}`
	for _, bad := range []string{
		`{}`,
		`{"traceEvents":[{"ph":"X","ts":0,"dur":1,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"X","ts":-1,"dur":1,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"X","ts":0,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"X","ts":0,"dur":5,"pid":1,"tid":1},{"name":"b","ph":"X","ts":4,"dur":5,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"X","ts":0,"dur":1,"pid":1,"tid":2}]}`,
		`{"traceEvents":[{"name":"a","ph":"X","ts":0,"dur":1,"pid":2,"tid":0}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"Q","ts":0,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"i","ts":0,"pid":1,"tid":1}]}`,
		`{"traceEvents":[` + named + `,{"name":"a","ph":"C","ts":0,"pid":1,"tid":0,"args":{"n":"x"}}]}`,
		// Perfetto would misplace these: tid 0 is read as tid = pid, a
		// thread without a sort index is listed where its tid puts it, and
		// a phase of no time nests inside the one beginning with it.
		`{"traceEvents":[` + named + `,{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"t0"}},{"name":"thread_sort_index","ph":"M","ts":0,"pid":1,"tid":0,"args":{"sort_index":9}},{"name":"a","ph":"X","ts":0,"dur":1,"pid":1,"tid":0}]}`,
		`{"traceEvents":[` + named + `,{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":2,"args":{"name":"lane 1"}},{"name":"a","ph":"X","ts":0,"dur":1,"pid":1,"tid":2}]}`,
		`{"traceEvents":[` + named + `,{"name":"task","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},{"name":"lock","cat":"phase","ph":"X","ts":0,"dur":0,"pid":1,"tid":1}]}`,
	} {
		_, err := Validate([]byte(bad))
		assert.Error(t, err, bad)
	}
	for _, good := range []string{
		`{"name":"a","ph":"X","ts":0,"dur":5,"pid":1,"tid":1},{"name":"b","ph":"X","ts":5,"dur":5,"pid":1,"tid":1}`,
		`{"name":"task","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},{"name":"a","ph":"X","ts":0,"dur":4,"pid":1,"tid":1},{"name":"b","ph":"X","ts":4,"dur":6,"pid":1,"tid":1},{"name":"c","ph":"X","ts":10,"dur":0,"pid":1,"tid":1}`,
	} {
		_, err := Validate([]byte(`{"traceEvents":[` + named + `,` + good + `]}`))
		assert.NoError(t, err, good)
	}
	_, err := Validate([]byte(`{"traceEvents":[` + named + `,{"name":"task","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},{"name":"a","ph":"X","ts":5,"dur":6,"pid":1,"tid":1}]}`))
	assert.ErrorContains(t, err, "overlap", "a phase that spills out of its task")
}

// TestTraceOfRealRuns traces native runs of every strategy of cpu-sumsq
// and of the cancel demo cut by its deadline.
func TestTraceOfRealRuns(t *testing.T) {
	for _, query := range []map[string]string{
		{"demo": "cpu-sumsq", "size": "2000000", "tasks": "7", "strategy": "sequential,pool,goroutines,semaphore"},
		{"demo": "order", "latency": "5ms"},
		{"demo": "cancel", "strategy": "sequential,pool", "timeout": "30ms"},
	} {
		t.Run(query["demo"], func(t *testing.T) {
			cfg, err := demo.Parse(query)
			require.NoError(t, err)
			rep, err := demo.Run(context.Background(), demo.Env{Platform: report.Here("native"), Runner: workload.Runner{}}, cfg)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, Write(&buf, rep))
			phases := check(t, buf.Bytes())
			ran, cut, onLane := 0, 0, 0
			states := map[string]bool{}
			for _, r := range rep.Runs {
				for _, task := range r.Tasks {
					if task.Lane >= 0 {
						ran++
						onLane += len(onLaneStates(task))
					}
					if task.Lane < 0 || task.Error != "" {
						cut++
					}
					for _, p := range task.Phases {
						states[p.State] = true
					}
				}
			}
			f := Of(rep)
			byCat := map[string]int{}
			series := map[string]bool{}
			for _, e := range f.TraceEvents {
				if e.Ph == "X" {
					byCat[e.Cat]++
				}
				if e.Ph == "X" && e.Cat == "phase" {
					assert.Contains(t, report.States, e.Name)
					assert.NotContains(t, []string{report.StateQueued, report.StatePermit, report.StateUndelivered}, e.Name, "off the lanes")
				}
				if e.Name == "tasks by state" {
					for s := range e.Args {
						series[s] = true
					}
				}
			}
			assert.Equal(t, ran+onLane, phases["X"])
			assert.Equal(t, ran, byCat["task"], "a complete event per task that ran")
			assert.Equal(t, onLane, byCat["phase"], "and one for each of its phases on its lane")
			assert.Equal(t, cut, phases["i"], "an instant per task cut or never started")
			assert.Positive(t, phases["C"], "the counters")
			assert.Equal(t, states, series, "a series for each state the runs have")
			assert.True(t, series[report.StateQueued])
		})
	}
}

// onLaneStates lists the states of the task's phases on its lane.
func onLaneStates(t report.Task) []string {
	var s []string
	for _, p := range t.Phases {
		if p.State != report.StateQueued && p.State != report.StatePermit && p.State != report.StateUndelivered {
			s = append(s, p.State)
		}
	}
	return s
}

// TestTraceTimes: microseconds, one process per run named after its
// strategy, one thread per lane, and a remote clock's overlap on a lane
// is taken out, not passed on.
func TestTraceTimes(t *testing.T) {
	rep := report.Report{Schema: report.Schema, Demo: "cpu-sumsq", Runs: []report.Run{{Strategy: "workers", Tasks: []report.Task{
		{ID: 0, Lane: 0, StartMs: 0.5, EndMs: 10.25, Value: "1"},
		{ID: 1, Lane: 0, StartMs: 10.2, EndMs: 20, Value: "2"}, // starts 50 µs before the first ends
		{ID: 2, Lane: 1, StartMs: 1, EndMs: 3, Error: "context canceled"},
		{ID: 3, Lane: -1, StartMs: 20, EndMs: 20, Error: "not started: context canceled"},
	}}}}
	f := Of(rep)
	raw, err := json.Marshal(f)
	require.NoError(t, err)
	check(t, raw)
	var x []Event
	names := map[string]bool{}
	for _, e := range f.TraceEvents {
		if e.Ph == "X" {
			x = append(x, e)
		}
		if e.Ph == "M" {
			names[fmt.Sprint(e.Name, " ", e.Pid, " ", e.Tid, " ", e.Args["name"])] = true
		}
	}
	require.Len(t, x, 3)
	assert.Equal(t, 500.0, x[0].Ts)
	assert.Equal(t, 9750.0, *x[0].Dur)
	assert.Equal(t, 10250.0, x[1].Ts, "moved to where the lane was free")
	assert.Equal(t, 9750.0, *x[1].Dur)
	assert.True(t, names["process_name 1 0 workers"], "%v", names)
	assert.True(t, names["thread_name 1 1 lane 0"], "%v", names)
	assert.True(t, names["thread_name 1 1073741824 not started"], "%v", names)
}

// phases makes phases from states and the times between them.
func phases(states []string, times ...float64) []report.Phase {
	ps := make([]report.Phase, len(states))
	for i, s := range states {
		ps[i] = report.Phase{State: s, StartMs: times[i], EndMs: times[i+1]}
	}
	return ps
}

// TestTracePhases: a task's phases on its lane nest in its event, named by
// state, a remote task's handing over included and kept clear of the task
// before it; a cancellation is an instant where it began; the counter of
// tasks by state counts each state at each moment.
func TestTracePhases(t *testing.T) {
	const q, d, c, u, x = report.StateQueued, report.StateDispatch, report.StateCompute, report.StateUndelivered, report.StateCancelled
	rep := report.Report{Schema: report.Schema, Demo: "cpu-sumsq", Runs: []report.Run{{Strategy: "workers", Tasks: []report.Task{
		{ID: 0, Lane: 0, StartMs: 2, EndMs: 10, DeliveredMs: 12, Value: "1",
			Phases: phases([]string{q, d, c, u}, 0, 1, 2, 10, 12)},
		{ID: 1, Lane: 0, StartMs: 13, EndMs: 20, DeliveredMs: 20, Error: "context deadline exceeded",
			Phases: phases([]string{q, d, c, x}, 0, 9.5, 13, 15, 20)}, // handed over 0.5 ms before task 0 ended: a clock's rounding
	}}}}
	f := Of(rep)
	raw, err := json.Marshal(f)
	require.NoError(t, err)
	check(t, raw)
	var xs []string
	var instants []Event
	var counts []map[string]any
	for _, e := range f.TraceEvents {
		switch e.Ph {
		case "X":
			xs = append(xs, fmt.Sprintf("%s %g+%g", e.Name, e.Ts, *e.Dur))
		case "i":
			instants = append(instants, e)
		case "C":
			if e.Name == "tasks by state" {
				counts = append(counts, e.Args)
			}
		}
	}
	assert.Equal(t, []string{
		"task 0 1000+9000", "dispatch 1000+1000", "compute 2000+8000",
		"task 1 10000+10000", "dispatch 10000+3000", "compute 13000+2000", "cancelled 15000+5000",
	}, xs, "task 1's handing over starts where task 0 ended")
	require.Len(t, instants, 1)
	assert.Equal(t, 15000.0, instants[0].Ts, "cut when its cancellation began")
	require.NotEmpty(t, counts)
	assert.Equal(t, map[string]any{q: 0, d: 0, c: 0, u: 0, x: 0}, counts[0], "every series from 0")
	assert.Equal(t, map[string]any{q: 2, d: 0, c: 0, u: 0, x: 0}, counts[1], "both queued at the start")
	assert.Equal(t, map[string]any{q: 0, d: 0, c: 0, u: 0, x: 1}, counts[len(counts)-2])
	assert.Equal(t, map[string]any{q: 0, d: 0, c: 0, u: 0, x: 0}, counts[len(counts)-1], "none at the end")
}

// TestTraceOfBrokenPhases: phases that break their rules (a report from
// elsewhere, which CheckPhases would refuse) still make a valid trace:
// each follows the one before within its task, never overlapping it.
func TestTraceOfBrokenPhases(t *testing.T) {
	const io, c, l = report.StateIOWait, report.StateCompute, report.StateLock
	rep := report.Report{Schema: report.Schema, Demo: "pipeline", Runs: []report.Run{{Strategy: "pool", Tasks: []report.Task{
		{ID: 0, Lane: 0, StartMs: 0, EndMs: 10, Phases: []report.Phase{
			{State: io, StartMs: 0, EndMs: 6}, {State: c, StartMs: 5, EndMs: 10}, // overlapping
			{State: l, StartMs: 2, EndMs: 3}}}, // out of order
	}}}}
	raw, err := json.Marshal(Of(rep))
	require.NoError(t, err)
	check(t, raw)
	var xs []string
	for _, e := range Of(rep).TraceEvents {
		if e.Ph == "X" {
			xs = append(xs, fmt.Sprintf("%s %g+%g", e.Name, e.Ts, *e.Dur))
		}
	}
	assert.Equal(t, []string{"task 0 0+10000", "io-wait 0+6000", "compute 6000+4000"}, xs, "the lock, left no time, is left out")
}
