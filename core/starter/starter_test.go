package starter_test

import (
	"context"
	"math/big"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/internal/exact"
	"lanes/core/starter"
	cancel "lanes/core/starter/cancel"
	primes "lanes/core/starter/cpu-primes"
	sumsq "lanes/core/starter/cpu-sumsq"
	download "lanes/core/starter/io-download"
	order "lanes/core/starter/order"
	pipeline "lanes/core/starter/pipeline"
	skew "lanes/core/starter/skew"
	"lanes/core/target"
	"lanes/core/workload"
)

// funcs are the starters' tasks, by demo.
var funcs = map[string]workload.TaskFunc{
	"cpu-sumsq": sumsq.Task, "cpu-primes": primes.Task, "skew": skew.Task, "cancel": cancel.Task,
	"io-download": download.Task, "pipeline": pipeline.Task, "order": order.Task,
}

// total runs tasks 0 … n-1 of f at once and adds up their values.
func total(t *testing.T, f workload.TaskFunc, n int) string {
	t.Helper()
	values := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { values[i], errs[i] = f(context.Background(), i, n) })
	}
	wg.Wait()
	sum := new(big.Int)
	for i, v := range values {
		require.NoError(t, errs[i], "task %d", i)
		x, ok := new(big.Int).SetString(v, 10)
		require.True(t, ok, "task %d: %q is no decimal integer", i, v)
		sum.Add(sum, x)
	}
	return sum.String()
}

// pipelineAnswer is the pipeline demo's result with n tasks of rounds
// hashing rounds over the two default targets in turn.
func pipelineAnswer(n, rounds int) string {
	bodies := [][]byte{target.Body(target.BigName, target.BigBytes), target.Body(target.SmallName, target.SmallBytes)}
	sum := new(big.Int)
	for k := range n {
		sum.Add(sum, new(big.Int).SetUint64(exact.FNV1aRepeated(bodies[k%2], rounds)))
	}
	return sum.String()
}

// TestStartersGiveTheDemosAnswers runs each starter whole with its demo's
// default count of tasks and checks the sum against the demo's exact
// answer at its default size, computed another way.
func TestStartersGiveTheDemosAnswers(t *testing.T) {
	answers := map[string]string{
		"cpu-sumsq":   exact.SumSquaresBelow(1_000_000_000).String(),
		"cpu-primes":  strconv.FormatUint(exact.PrimesBelow(1_000_000_000), 10),
		"skew":        exact.SumSquaresBelow(400_000_000).String(),
		"cancel":      exact.SumSquaresBelow(1 << 32).String(),
		"io-download": strconv.Itoa(10*target.BigBytes + 10*target.SmallBytes),
		"pipeline":    pipelineAnswer(20, 500),
		"order":       exact.SumSquaresBelow(8).String(),
	}
	require.Len(t, starter.All(), len(answers))
	for _, s := range starter.All() {
		t.Run(s.Demo, func(t *testing.T) {
			want, ok := answers[s.Demo]
			require.True(t, ok, "no answer for the starter of %s", s.Demo)
			assert.Equal(t, want, total(t, funcs[s.Demo], s.Tasks))
		})
	}
}

// TestStartersAnyN: the CPU starters give the same total for any count of
// tasks, as the demos' splits do.
func TestStartersAnyN(t *testing.T) {
	for _, n := range []int{1, 3, 7} {
		assert.Equal(t, exact.SumSquaresBelow(400_000_000).String(), total(t, skew.Task, n), "skew, n=%d", n)
	}
	// One slice of the primes checked against trial division.
	v, err := primes.Task(context.Background(), 9_999, 10_000)
	require.NoError(t, err)
	assert.Equal(t, strconv.FormatUint(exact.PrimesIn(999_900_000, 1_000_000_000), 10), v)
}

func TestStartersMatchTheirDemos(t *testing.T) {
	for _, s := range starter.All() {
		d, err := demo.Lookup(s.Demo)
		require.NoError(t, err)
		assert.Equal(t, d.Defaults().Tasks, s.Tasks, s.Demo)
		assert.Contains(t, s.Code, "package task")
		assert.Contains(t, s.Code, "func Task(ctx context.Context, i, n int) (string, error)")
	}
	_, ok := starter.For("race")
	assert.False(t, ok)
	for _, bad := range []string{"", ".", "..", "../starter", "cpu-sumsq/..", "/cpu-sumsq"} {
		_, ok := starter.For(bad)
		assert.False(t, ok, bad)
	}
}

func TestStartersStopWhenCancelled(t *testing.T) {
	ctx, cancelRun := context.WithCancel(context.Background())
	cancelRun()
	for name, f := range funcs {
		_, err := f(ctx, 0, 1)
		assert.ErrorIs(t, err, context.Canceled, name)
	}
}
