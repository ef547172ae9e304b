// Command taskworker is the Web Worker program of a user's task: the task
// (package lanes/core/task, which the build service replaces with the
// user's file) registered with workload.SetTask, and the worker's main
// (wasm/worker), in either role — coordinator or CPU worker. The page runs
// every strategy of the task demo (demo.TaskID) on workers of this module
// exactly as it runs the built-in demos on app.wasm's. It carries no UI
// and no site: only the worker protocol and the strategies.
package main

import (
	"lanes/core/task"
	"lanes/core/workload"
	"lanes/wasm/worker"
)

func main() {
	workload.SetTask(task.Task)
	worker.Main()
}
