package workload_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

// withTask registers f for the test.
func withTask(t *testing.T, f workload.TaskFunc) {
	t.Helper()
	workload.SetTask(f)
	t.Cleanup(func() { workload.SetTask(nil) })
}

func taskSpec(i, n int) workload.Spec {
	return workload.Spec{Kind: workload.KindTask, I: i, N: n}
}

func TestTaskUnregistered(t *testing.T) {
	workload.SetTask(nil)
	require.False(t, workload.HasTask())
	_, err := workload.Runner{}.Run(context.Background(), taskSpec(0, 1))
	assert.ErrorIs(t, err, workload.ErrNoTask)
	assert.Contains(t, err.Error(), "lanes run --task")
}

func TestTaskRuns(t *testing.T) {
	withTask(t, func(ctx context.Context, i, n int) (string, error) {
		switch i {
		case 1:
			return "", errors.New("no luck")
		case 2:
			panic("boom")
		case 3:
			return strings.Repeat("9", workload.MaxTaskValue+1), nil
		case 4:
			return "four", nil
		}
		return strconv.Itoa(i*100 + n), nil
	})
	require.True(t, workload.HasTask())
	cases := []struct {
		i, n       int
		value, err string
	}{
		{0, 5, "5", ""},
		{1, 5, "", "no luck"},
		{2, 5, "", "panic: boom"},
		{3, 5, "", "at most 4096"},
		{4, 5, "four", ""},
		{5, 5, "", "want 0 ≤ i < n"},
		{-1, 5, "", "want 0 ≤ i < n"},
		{0, 0, "", "want 0 ≤ i < n"},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.i)+"of"+strconv.Itoa(c.n), func(t *testing.T) {
			out, err := workload.Runner{}.Run(context.Background(), taskSpec(c.i, c.n))
			if c.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.value, out.Value)
		})
	}
}

// TestTaskThatIgnoresCtxIsLeft: a task that never looks at ctx does not
// hold its caller past ctx's end.
func TestTaskThatIgnoresCtxIsLeft(t *testing.T) {
	release := make(chan struct{})
	withTask(t, func(context.Context, int, int) (string, error) {
		<-release // deaf to ctx
		return "1", nil
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := workload.Runner{}.Run(ctx, taskSpec(0, 1))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "does it look at ctx?")
	assert.Less(t, time.Since(start), 20*time.Second)
}

func TestTaskSpecJSON(t *testing.T) {
	b, err := json.Marshal(taskSpec(3, 8))
	require.NoError(t, err)
	assert.JSONEq(t, `{"kind":"task","i":3,"n":8}`, string(b))
	var s workload.Spec
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"task","n":2}`), &s))
	assert.Equal(t, taskSpec(0, 2), s)
}
