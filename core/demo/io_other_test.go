//go:build !js

package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"math/big"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/strategy"
	"lanes/core/target"
)

func TestDownloadDefault(t *testing.T) {
	// The default config, as `lanes run io-download` has it: every strategy
	// totals 106710 bytes.
	env := newEnv(t)
	rep := runAll(t, env, parse(t, "demo", "io-download"))
	require.Equal(t, 10*target.BigBytes+10*target.SmallBytes, 106710)
	for _, run := range rep.Runs {
		t.Run(run.Strategy, func(t *testing.T) {
			assert.Equal(t, "106710", run.Result)
			assert.False(t, run.Partial)
			require.Len(t, run.Tasks, 20)
			for k, task := range run.Tasks {
				want := []int64{target.BigBytes, target.SmallBytes}[k%2]
				assert.Equal(t, want, task.Bytes, "task %d", k)
				assert.Equal(t, strconv.FormatInt(want, 10), task.Value, "task %d", k)
				assert.Equal(t, 100.0, task.LatencyMs)
				assert.GreaterOrEqual(t, task.EndMs-task.StartMs, 99.0, "task %d waited for the target", k)
			}
		})
	}
}

func TestDownloadSplits(t *testing.T) {
	env := newEnv(t)
	for _, tasks := range []int{1, 2, 3, 7} {
		t.Run(strconv.Itoa(tasks), func(t *testing.T) {
			rep := runAll(t, env, parse(t, "demo", "io-download", "tasks", strconv.Itoa(tasks), "latency", "0", "workers", "3"))
			want := (tasks+1)/2*target.BigBytes + tasks/2*target.SmallBytes
			for _, run := range rep.Runs {
				assert.Equal(t, strconv.Itoa(want), run.Result, run.Strategy)
			}
		})
	}
}

func TestDownloadGivenTargets(t *testing.T) {
	env := newEnv(t)
	srv := httptest.NewServer(target.Handler())
	t.Cleanup(srv.Close)
	targets := srv.URL + "/t/a?bytes=5," + srv.URL + "/t/b?bytes=0," + srv.URL + "/t/c?bytes=1000"
	rep := runAll(t, env, parse(t, "demo", "io-download", "tasks", "7", "target", targets))
	for _, run := range rep.Runs {
		assert.Equal(t, strconv.Itoa(3*5+2*0+2*1000), run.Result, run.Strategy)
		for _, task := range run.Tasks {
			assert.Zero(t, task.LatencyMs, "a given target's latency is not known")
		}
	}
}

func TestDownloadFailures(t *testing.T) {
	env := newEnv(t)
	targets := env.TargetBase + "/t/ok?bytes=10," + env.TargetBase + "/t/bad?fail=1"
	rep := runAll(t, env, parse(t, "demo", "io-download", "tasks", "4", "target", targets))
	for _, run := range rep.Runs {
		t.Run(run.Strategy, func(t *testing.T) {
			assert.Equal(t, "20", run.Result)
			assert.True(t, run.Partial)
			assert.Contains(t, run.Error, "2 of 4 tasks failed; first: task 1: GET ")
			assert.Contains(t, run.Tasks[3].Error, "500 Internal Server Error")
		})
	}

	noTargets := env
	noTargets.TargetBase = ""
	_, err := demo.RunOne(context.Background(), noTargets, parse(t, "demo", "io-download"), strategy.Sequential)
	assert.EqualError(t, err, "target: none given, and no built-in targets are served here")
}

// pipelineTotal is the pipeline demo's answer, from target.Body and
// hash/fnv: the sum over tasks of FNV-1a of the task's body fed rounds
// times.
func pipelineTotal(tasks, rounds int) string {
	total := new(big.Int)
	for k := range tasks {
		body := target.Body(target.BigName, target.BigBytes)
		if k%2 == 1 {
			body = target.Body(target.SmallName, target.SmallBytes)
		}
		h := fnv.New64a()
		h.Write(bytes.Repeat(body, rounds))
		total.Add(total, new(big.Int).SetUint64(h.Sum64()))
	}
	return total.String()
}

func TestPipeline(t *testing.T) {
	env := newEnv(t)
	for _, c := range []struct{ tasks, rounds int }{{1, 0}, {1, 1}, {3, 7}, {20, 500}, {5, 64}} {
		t.Run(fmt.Sprintf("tasks=%d/rounds=%d", c.tasks, c.rounds), func(t *testing.T) {
			cfg := parse(t, "demo", "pipeline", "tasks", strconv.Itoa(c.tasks), "size", strconv.Itoa(c.rounds), "latency", "5ms")
			rep := runAll(t, env, cfg)
			want := pipelineTotal(c.tasks, c.rounds)
			for _, run := range rep.Runs {
				assert.Equal(t, want, run.Result, run.Strategy)
				assert.False(t, run.Partial, run.Strategy)
				for k, task := range run.Tasks {
					assert.Equal(t, []int64{target.BigBytes, target.SmallBytes}[k%2], task.Bytes, "%s task %d", run.Strategy, k)
				}
			}
		})
	}
}
