package demo

import (
	"lanes/core/report"
	"lanes/core/strategy"
	"lanes/core/workload"
)

// TaskID is the id of the demo that runs a user's own task (the task API,
// workload.TaskFunc): a program built around one registers it with
// workload.SetTask. Lookup finds it, but it is not among All and IDs, the
// built-in lessons; where no task is registered — the server, the page's
// own wasm — each of its tasks fails with workload.ErrNoTask.
const TaskID = "task"

// taskDemo runs tasks 0 … n-1 of the registered task, as the built-in
// demos run theirs: under every strategy that needs no download stage.
var taskDemo = &Demo{
	ID:    TaskID,
	Title: "Your task",
	Explain: "Your own Go code, func Task(ctx context.Context, i, n int) (string, error), runs as task i of n " +
		"under each strategy, exactly as the built-in demos' work does. When every value is a whole number, " +
		"the result is their exact sum.",
	Python: "executor.map(task, range(n))",
	// Three runs of each strategy by default, interleaved and rotating: the
	// first run of a new build meets its code cold (the browser compiles
	// the user's functions as they first run), and alone it made goroutines
	// in one thread look 1.5–2.3× faster than sequential, which ran first.
	Params: []Param{tasksParam(8, 10_000), workersParam(2), chunkParam(4), timeoutParam(0, 0),
		knob(KnobRuns).Param(3, 1, MaxRuns)},
	Strategies: []string{strategy.Sequential, strategy.Pool, strategy.Goroutines, strategy.Semaphore,
		strategy.Workers, strategy.Partition, strategy.Chunked},
	Default: []string{strategy.Sequential, strategy.Goroutines, strategy.Workers},
	work: func(cfg Config, _ Env, _ string) (work, error) {
		// What the tasks do only their measurement tells (report.WorkTask).
		return work{tasks: userTasks(cfg.Tasks), judge: func(r *report.Run) { r.Work = report.WorkTask }}, nil
	},
}

// userTasks gives task k of n to a spec of the registered task.
func userTasks(n int) []strategy.Task {
	tasks := make([]strategy.Task, n)
	for k := range tasks {
		tasks[k] = strategy.Task{ID: k, Spec: workload.Spec{Kind: workload.KindTask, I: k, N: n}}
	}
	return tasks
}
