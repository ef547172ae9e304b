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
	named := `{"name":"process_name","ph":"M","ts":0,"pid":1,"tid":0,"args":{"name":"p"}},{"name":"thread_name","ph":"M","ts":0,"pid":1,"tid":1,"args":{"name":"lane 0"}}`
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
	} {
		_, err := Validate([]byte(bad))
		assert.Error(t, err, bad)
	}
	_, err := Validate([]byte(`{"traceEvents":[` + named + `,{"name":"a","ph":"X","ts":0,"dur":5,"pid":1,"tid":1},{"name":"b","ph":"X","ts":5,"dur":5,"pid":1,"tid":1}]}`))
	assert.NoError(t, err)
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
			ran, cut := 0, 0
			for _, r := range rep.Runs {
				for _, task := range r.Tasks {
					if task.Lane >= 0 {
						ran++
					}
					if task.Lane < 0 || task.Error != "" {
						cut++
					}
				}
			}
			assert.Equal(t, ran, phases["X"], "a complete event per task that ran")
			assert.Equal(t, cut, phases["i"], "an instant per task cut or never started")
			assert.Positive(t, phases["C"], "the in-flight counter")
		})
	}
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
	assert.True(t, names["thread_name 1 0 not started"], "%v", names)
}
