package demo_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/internal/exact"
	"lanes/core/report"
	"lanes/core/workload"
)

// The task demo's tests register a task before anything runs — in init,
// so that the worker processes this test binary becomes have it too:
// task i of n gives Σ k² over its slice of [0, taskSize), and with n = 5,
// task 2 panics.
const taskSize = 1_000_000

func init() { registerTestTask() }

func registerTestTask() {
	workload.SetTask(func(ctx context.Context, i, n int) (string, error) {
		if n == 5 && i == 2 {
			panic("task 2 gives up")
		}
		lo, hi := uint64(taskSize*i/n), uint64(taskSize*(i+1)/n)
		sum, err := workload.SumSquares(ctx, lo, hi)
		return sum.String(), err
	})
}

func TestTaskDemoIsFoundButNotListed(t *testing.T) {
	d, err := demo.Lookup(demo.TaskID)
	require.NoError(t, err)
	assert.Equal(t, demo.TaskID, d.ID)
	assert.NotContains(t, demo.IDs(), demo.TaskID)
	for _, d := range demo.All() {
		assert.NotEqual(t, demo.TaskID, d.ID)
	}
	_, err = demo.Parse(map[string]string{"demo": "task", "size": "10"})
	assert.ErrorContains(t, err, "size: demo task has no such parameter")
}

// TestTaskDemoEveryStrategy runs the registered task under every strategy
// of the task demo, remote lanes included, for the exact sum.
func TestTaskDemoEveryStrategy(t *testing.T) {
	env := newEnv(t)
	cfg := parse(t, "demo", "task", "strategy", "all", "tasks", "7", "workers", "2", "chunk", "3")
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	d, _ := demo.Lookup(demo.TaskID)
	require.Len(t, rep.Runs, len(d.Strategies))
	want := exact.SumSquaresBelow(taskSize).String()
	for _, run := range rep.Runs {
		assert.Equal(t, want, run.Result, run.Strategy)
		assert.False(t, run.Partial, run.Strategy)
		assert.Empty(t, run.Error, run.Strategy)
		assert.Equal(t, report.WorkTask, run.Work, "what a user's tasks do only their measurement tells")
		require.Len(t, run.Tasks, 7, run.Strategy)
		for _, task := range run.Tasks {
			lo, hi := uint64(taskSize*task.ID/7), uint64(taskSize*(task.ID+1)/7)
			assert.Equal(t, exact.SumSquaresRange(lo, hi).String(), task.Value, "%s task %d", run.Strategy, task.ID)
		}
	}
	assert.Equal(t, "task", rep.Demo)
	assert.EqualValues(t, 7, rep.Params["tasks"])
}

// TestTaskDemoPanicFailsAlone: the panicking task fails with its text
// under every strategy, and the others keep their values.
func TestTaskDemoPanicFailsAlone(t *testing.T) {
	env := newEnv(t)
	cfg := parse(t, "demo", "task", "strategy", "all", "tasks", "5", "workers", "2")
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	for _, run := range rep.Runs {
		assert.True(t, run.Partial, run.Strategy)
		assert.Contains(t, run.Error, "1 of 5 tasks failed; first: task 2: panic: task 2 gives up", run.Strategy)
		for _, task := range run.Tasks {
			if task.ID == 2 {
				assert.Empty(t, task.Value)
				continue
			}
			lo, hi := uint64(taskSize*task.ID/5), uint64(taskSize*(task.ID+1)/5)
			assert.Equal(t, exact.SumSquaresRange(lo, hi).String(), task.Value, "%s task %d", run.Strategy, task.ID)
		}
	}
}

func TestTaskDemoValuesThatAreNoNumbers(t *testing.T) {
	workload.SetTask(func(_ context.Context, i, _ int) (string, error) { return "task " + strconv.Itoa(i), nil })
	defer registerTestTask()
	run, err := demo.RunOne(context.Background(), newEnv(t), parse(t, "demo", "task", "tasks", "3"), "goroutines")
	require.NoError(t, err)
	assert.Empty(t, run.Result, "values that are not numbers have no sum")
	assert.False(t, run.Partial)
	assert.Empty(t, run.Error)
	for _, task := range run.Tasks {
		assert.True(t, strings.HasPrefix(task.Value, "task "), task.Value)
	}
}
