// Command taskmain is the command line lanes run --task FILE.go builds
// around the user's file (put in place of core/task's): it runs the task
// demo (demo.TaskID) with the flags of lanes run under every strategy
// asked for, and is its own worker process for the remote strategies, as
// lanes is with lanes worker. What the task prints goes to standard error,
// so that a report on standard output stays whole.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/task"
	"lanes/core/workload"
	"lanes/server/cli"
)

func main() {
	workload.SetTask(task.Task)
	remote.MainIfWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stdout := os.Stdout
	os.Stdout = os.Stderr
	if err := cli.Run(ctx, stdout, os.Stderr, append([]string{demo.TaskID}, os.Args[1:]...)); err != nil {
		fmt.Fprintln(os.Stderr, "lanes:", err)
		os.Exit(cli.ExitCode(err))
	}
}
