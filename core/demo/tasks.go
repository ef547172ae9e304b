package demo

import (
	"errors"
	"lanes/core/report"

	"lanes/core/strategy"
	"lanes/core/target"
	"lanes/core/workload"
)

// split cuts [0, size) into n contiguous ranges, as even as whole numbers
// allow, and gives each to a spec of kind.
func split(kind workload.Kind, size int64, n int) []strategy.Task {
	tasks := make([]strategy.Task, n)
	for k := range tasks {
		lo := uint64(size) * uint64(k) / uint64(n)
		hi := uint64(size) * uint64(k+1) / uint64(n)
		tasks[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: kind, Lo: lo, Hi: hi}}
	}
	return tasks
}

// splitting is the work of a demo that splits [0, cfg.Size) into cfg.Tasks
// specs of kind, whatever the strategy.
func splitting(kind workload.Kind) func(Config, Env, string) (work, error) {
	return func(cfg Config, _ Env, _ string) (work, error) {
		return work{tasks: split(kind, cfg.Size, cfg.Tasks)}, nil
	}
}

// skewWeight is task k's share of the skew demo's work: every fourth task,
// from task 0, is eight times the others. The heavy tasks follow a pattern
// in the input, as sorted or grouped data does, and a static split k mod K
// with K = 2 or 4 piles every one of them on lane 0: there the imbalance
// shows at the default K = 2 (with one heavy task in five, drawn at random,
// partition, pool and chunked took 111, 108 and 123 ms: no lesson).
func skewWeight(k int) uint64 {
	if k%4 == 0 {
		return 8
	}
	return 1
}

// splitSkewed cuts [0, size) into n contiguous ranges sized by skewWeight.
func splitSkewed(size int64, n int) []strategy.Task {
	var total uint64
	for k := range n {
		total += skewWeight(k)
	}
	tasks := make([]strategy.Task, n)
	var cum uint64
	for k := range tasks {
		lo := uint64(size) * cum / total
		cum += skewWeight(k)
		hi := uint64(size) * cum / total
		tasks[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: workload.KindSumSquares, Lo: lo, Hi: hi}}
	}
	return tasks
}

// orderWeight is task k's length in units (the order demo's latency knob
// is one unit of task length): unequal, so results finish out of
// submission order.
func orderWeight(k int) int { return 1 + (k*5+3)%7 }

// waits gives task k a wait of orderWeight(k) units of cfg.Latency,
// answering k².
func waits(cfg Config) []strategy.Task {
	tasks := make([]strategy.Task, cfg.Tasks)
	unit := report.Ms(cfg.Latency)
	for k := range tasks {
		ms := float64(orderWeight(k)) * unit
		tasks[k] = strategy.Task{ID: k, LatencyMs: ms,
			Spec: workload.Spec{Kind: workload.KindWait, WaitMs: ms, Answer: uint64(k * k)}}
	}
	return tasks
}

// connections gives each of cfg.Tasks tasks one wait of cfg.Latency — a
// connection's round trip, simulated: no CPU, no socket — answering k²,
// so that the run's total is exact, Σ k² for 0 ≤ k < tasks.
func connections(cfg Config) []strategy.Task {
	tasks := make([]strategy.Task, cfg.Tasks)
	ms := report.Ms(cfg.Latency)
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, LatencyMs: ms,
			Spec: workload.Spec{Kind: workload.KindWait, WaitMs: ms, Answer: uint64(k) * uint64(k)}}
	}
	return tasks
}

// targetURLs returns cfg's targets, or else the two built-in targets of the
// classic download demo, with cfg's latency, and whether the latency is known.
func targetURLs(cfg Config, env Env) ([]string, bool, error) {
	if len(cfg.Targets) > 0 {
		return cfg.Targets, false, nil
	}
	if env.TargetBase == "" {
		return nil, false, errors.New("target: none given, and no built-in targets are served here")
	}
	return []string{
		env.TargetBase + target.URL(target.BigName, target.BigBytes, cfg.Latency),
		env.TargetBase + target.URL(target.SmallName, target.SmallBytes, cfg.Latency),
	}, true, nil
}

// downloads gives task k the k-th URL, cycling through the targets, with
// spec kind; rounds is the hashing work for fetch-hash.
func downloads(cfg Config, env Env, kind workload.Kind, rounds int) ([]strategy.Task, error) {
	urls, known, err := targetURLs(cfg, env)
	if err != nil {
		return nil, err
	}
	tasks := make([]strategy.Task, cfg.Tasks)
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: kind, URL: urls[k%len(urls)], Rounds: rounds}}
		if known {
			tasks[k].LatencyMs = report.Ms(cfg.Latency)
		}
	}
	return tasks, nil
}
