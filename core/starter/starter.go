// Package starter holds, for each built-in demo whose work is tasks of
// their own — the CPU and the I/O demos — that work written against the
// task API (workload.TaskFunc) as one Go file of package task: the code a
// learner starts from when they edit a demo's task, whose exact answer is
// the built-in demo's at the same sizes.
//
// Each starter is a package of its own, a directory named after its demo,
// so that the repository builds and vets every one; this package carries
// their source. The race demo has none: its tasks share one counter, and
// a task of the task API shares nothing with the others.
package starter

import (
	"embed"
	"io/fs"
	"path"
)

//go:embed */task.go
var files embed.FS

// A Starter is a demo's work written against the task API.
type Starter struct {
	// Demo is the built-in demo's id.
	Demo string `json:"demo"`
	// Tasks is the demo's default count of tasks: n, for the answer the
	// code's comment gives.
	Tasks int `json:"tasks"`
	// Code is the Go file, package task.
	Code string `json:"-"`
}

// tasks are the demos' default counts of tasks (demo.Demo's tasks knob);
// a test checks they agree.
var tasks = map[string]int{
	"cpu-sumsq": 8, "cpu-primes": 8, "skew": 32, "cancel": 8,
	"io-download": 20, "pipeline": 20, "order": 8,
}

// All returns every starter, in the order of the demos' ids.
func All() []Starter {
	dirs, err := fs.ReadDir(files, ".")
	if err != nil {
		panic("starter: " + err.Error())
	}
	var out []Starter
	for _, d := range dirs {
		s, _ := For(d.Name())
		out = append(out, s)
	}
	return out
}

// For returns the starter of the demo, and whether it has one.
func For(demo string) (Starter, bool) {
	code, err := fs.ReadFile(files, path.Join(demo, "task.go"))
	if err != nil || demo == "." || demo == "" {
		return Starter{}, false
	}
	return Starter{Demo: demo, Tasks: tasks[demo], Code: string(code)}, true
}
