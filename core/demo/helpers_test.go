package demo_test

import (
	"context"
	"math/big"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/report"
)

// parse is demo.Parse of name=value pairs given as alternating strings.
func parse(t *testing.T, kv ...string) demo.Config {
	t.Helper()
	values := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		values[kv[i]] = kv[i+1]
	}
	cfg, err := demo.Parse(values)
	require.NoError(t, err)
	return cfg
}

// deliveries records the tasks each strategy delivered, in order.
type deliveries struct {
	mu  sync.Mutex
	got map[string][]report.Task
}

func watch(env *demo.Env) *deliveries {
	d := &deliveries{got: map[string][]report.Task{}}
	env.OnTask = func(strategy string, t report.Task) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.got[strategy] = append(d.got[strategy], t)
	}
	return d
}

func (d *deliveries) of(strategy string) []report.Task {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.got[strategy]
}

// runAll runs cfg with every strategy its demo has and checks what every
// report must hold: one run per strategy, each task delivered once.
func runAll(t *testing.T, env demo.Env, cfg demo.Config) report.Report {
	t.Helper()
	d, err := demo.Lookup(cfg.Demo)
	require.NoError(t, err)
	cfg.Strategies = d.Strategies
	seen := watch(&env)
	rep, err := demo.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	require.Len(t, rep.Runs, len(d.Strategies))
	for i, run := range rep.Runs {
		require.Equal(t, d.Strategies[i], run.Strategy)
		require.Len(t, seen.of(run.Strategy), len(run.Tasks), "%s: every task delivered once", run.Strategy)
	}
	return rep
}

func sumValues(t *testing.T, run report.Run) string {
	total := new(big.Int)
	for _, task := range run.Tasks {
		if task.Error == "" {
			v, ok := new(big.Int).SetString(task.Value, 10)
			require.True(t, ok, "task %d value %q", task.ID, task.Value)
			total.Add(total, v)
		}
	}
	return total.String()
}
