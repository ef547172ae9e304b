package protocol

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// aRun is a run of four tasks in an order that is not their IDs', the
// third with phases.
func aRun() report.Run {
	return report.Run{Strategy: "pool", Lanes: 2, WallMs: 40, Tasks: []report.Task{
		{ID: 2, Lane: 0, StartMs: 0, EndMs: 10, Value: "4"},
		{ID: 0, Lane: 1, StartMs: 0, EndMs: 12, Value: "0"},
		{ID: 1, Lane: 0, StartMs: 10, EndMs: 30, Value: "1", Phases: []report.Phase{{State: "computing", StartMs: 10, EndMs: 30}}},
		{ID: 3, Lane: -1, Error: "not started"},
	}}
}

// byID holds tasks by their IDs.
func byID(tasks ...report.Task) *report.ByID[report.Task] {
	var s report.ByID[report.Task]
	for _, t := range tasks {
		s.Put(t.ID, t)
	}
	return &s
}

// TestStreamedAnswerKeepsTheRun sends a run's answer as a worker does to a
// Streamed request — through JSON, as the page gets it — and checks that
// the page puts back exactly the run, from an answer that repeats only
// what the events did not carry as it is.
func TestStreamedAnswerKeepsTheRun(t *testing.T) {
	run := aRun()
	changed := run.Tasks[1]
	changed.EndMs = 11 // its event said 11; the run has it end at 12
	sent := byID(run.Tasks[0], changed, run.Tasks[2])

	data, err := json.Marshal(Compact(run, sent))
	require.NoError(t, err)
	var answer RunAnswer
	require.NoError(t, json.Unmarshal(data, &answer))
	assert.Equal(t, []int{2, 0, 1, 3}, answer.Order)
	var ids []int
	for _, task := range answer.Run.Tasks {
		ids = append(ids, task.ID)
	}
	assert.Equal(t, []int{0, 3}, ids, "only the task changed after its event and the one never delivered")

	whole, err := answer.Whole(sent) // what the page decoded from the events
	require.NoError(t, err)
	assert.Equal(t, aRun(), whole)
}

// TestStreamedAnswerEdges: every task streamed as it is leaves an empty
// list, not a missing one; IDs that repeat give the whole run; a task
// neither sent nor streamed is an error; an answer without Order is the
// run itself (a worker that ignores Streamed).
func TestStreamedAnswerEdges(t *testing.T) {
	run := aRun()
	all := byID(run.Tasks...)
	a := Compact(run, all)
	assert.NotNil(t, a.Run.Tasks)
	assert.Empty(t, a.Run.Tasks)
	whole, err := a.Whole(all)
	require.NoError(t, err)
	assert.Equal(t, run, whole)

	twice := aRun()
	twice.Tasks[3].ID = 2
	a = Compact(twice, all)
	assert.Nil(t, a.Order)
	assert.Equal(t, twice.Tasks, a.Run.Tasks)

	a = Compact(run, all)
	_, err = a.Whole(byID(run.Tasks[0], run.Tasks[1], run.Tasks[3])) // no task 1

	assert.ErrorContains(t, err, "task 1 of the answer was neither sent nor streamed")

	whole, err = RunAnswer{Run: run}.Whole(nil)
	require.NoError(t, err)
	assert.Equal(t, run, whole)
}

// TestSameTaskIsDeepEqual changes each of a task's fields in turn, by
// reflection, so that a field added to report.Task and forgotten by
// sameTask fails here.
func TestSameTaskIsDeepEqual(t *testing.T) {
	base := report.Task{ID: 1, Lane: 2, StartMs: 3, EndMs: 4, DeliveredMs: 5, Bytes: 6, Value: "7", Error: "8", LatencyMs: 9,
		Phases: []report.Phase{{State: report.StateQueued, StartMs: 0, EndMs: 3}}}
	assert.True(t, sameTask(base, base))
	fields := reflect.TypeFor[report.Task]().NumField()
	for i := range fields {
		other := base
		other.Phases = slices.Clone(base.Phases)
		f := reflect.ValueOf(&other).Elem().Field(i)
		switch f.Kind() {
		case reflect.Int, reflect.Int64:
			f.SetInt(f.Int() + 100)
		case reflect.Float64:
			f.SetFloat(f.Float() + 0.5)
		case reflect.String:
			f.SetString(f.String() + "!")
		case reflect.Slice:
			other.Phases[0].EndMs++
		default:
			t.Fatalf("field %s: a kind this test does not change", reflect.TypeFor[report.Task]().Field(i).Name)
		}
		name := reflect.TypeFor[report.Task]().Field(i).Name
		assert.False(t, reflect.DeepEqual(base, other), name)
		assert.False(t, sameTask(base, other), name)
	}
	empty := base
	empty.Phases = []report.Phase{}
	noPhases := base
	noPhases.Phases = nil
	assert.Equal(t, reflect.DeepEqual(empty, noPhases), sameTask(empty, noPhases), "nil and empty phases")
}

// plainAnswer is RunAnswer read by encoding/json alone.
type plainAnswer RunAnswer

// TestRunAnswerReadsAsEncodingJSON: an answer's IDs, written by
// encoding/json or by hand in odd ways, read as encoding/json reads them;
// what it refuses is refused.
func TestRunAnswerReadsAsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var ids []int
	for range 10_000 {
		ids = append(ids, rng.IntN(1<<40)-1<<39)
	}
	whole, err := json.Marshal(RunAnswer{Run: report.Run{Strategy: "goroutines", Lanes: 3}, Order: ids})
	require.NoError(t, err)
	inputs := []string{string(whole)}
	for _, order := range []string{
		`[]`, ` [ ] `, `null`, `[0]`, `[-0]`, `[1,2,3]`, "[ 1 ,\n2\t,\r3 ]", `[9223372036854775807]`, `[-9223372036854775808]`,
		`[9223372036854775808]`, `[01]`, `[1.0]`, `[1e3]`, `[1,]`, `[,1]`, `[1 2]`, `["1"]`, `[null]`, `[[1]]`, `{}`, `"x"`, `[-]`, `[1]]`, `[1`, `true`,
	} {
		inputs = append(inputs, `{"run":{"strategy":"pool","lanes":2,"tasks":[]},"order":`+order+`}`)
	}
	inputs = append(inputs, `{"run":{"strategy":"pool"}}`, `{"order":[5,6],"ORDER":[7]}`, `{"order":[1],"run":[]}`, `[]`, `null`, ``,
		`{"run":{},"order":}`, `{"run":{},"order": }`, `{"run":{},"order":null }`, `{"run":,"order":[1]}`, `{"run":{"strategy":"x"},"order":[1]}}`, `{"run":{"strategy":"x"},"order":[1]`,
		`{"run":{"strategy":"x"}},"order":[1]}`, `{"run":{"strategy":"}"},"order":[1]}`, `{"run":{"tasks":[{"id":1,"value":"\"}"}]},"order":[1]}`,
		`{"run":null,"order":null}`, `{"run":{} ,"order":[1]}`, `{"run":{},"order":[1] }`, `{"run":{"lanes":1e400},"order":[1]}`)
	for _, in := range inputs {
		answerLike(t, []byte(in))
	}
}

// answerLike checks that an answer reads as encoding/json reads it, by
// json.Unmarshal and by UnmarshalJSON itself (as the page calls it, with
// no check of the input before).
func answerLike(t *testing.T, in []byte) {
	t.Helper()
	var want plainAnswer
	wantErr := json.Unmarshal(in, &want)
	var got, direct RunAnswer
	err := json.Unmarshal(in, &got)
	directErr := direct.UnmarshalJSON(in)
	if wantErr != nil {
		assert.Error(t, err, "%.80q", in)
		assert.Error(t, directErr, "%.80q", in)
		return
	}
	require.NoError(t, err, "%.80q", in)
	require.NoError(t, directErr, "%.80q", in)
	assert.Equal(t, RunAnswer(want), got, "%.80q", in)
	assert.Equal(t, RunAnswer(want), direct, "%.80q", in)
}

// FuzzRunAnswer checks the reading of an answer against encoding/json on
// any input.
func FuzzRunAnswer(f *testing.F) {
	f.Add([]byte(`{"run":{"strategy":"pool","tasks":[]},"order":[3,1,2]}`))
	f.Add([]byte(`{"order":[ -0 , 12 ]}`))
	f.Add([]byte(`{"run":{"strategy":"}"},"order":[1]}`))
	f.Fuzz(answerLike)
}
