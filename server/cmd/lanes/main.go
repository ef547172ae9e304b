// Command lanes is Lanes' one program: the command line that runs demos
// natively (lanes list, lanes run), the server behind the browser app
// (lanes serve), and the worker process the workers strategy starts
// (lanes worker).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lanes/core/remote"
	"lanes/server"
	"lanes/server/cli"
	"lanes/server/taskrun"
)

const usage = `usage:
  lanes list                 demos and their strategies
  lanes run DEMO [flags]     run a demo natively (lanes run -h for flags)
  lanes run --task FILE.go [flags]   run your own task, package task, natively
  lanes serve [flags]        serve the browser app (lanes serve -h for flags)
  lanes worker               serve tasks on stdin/stdout (started by lanes itself)`

func main() {
	remote.MainIfWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "list":
		err = cli.List(os.Stdout, args)
	case "run":
		if taskrun.Wants(args) {
			err = taskrun.Run(ctx, args, os.Stdout, os.Stderr)
		} else {
			err = cli.Run(ctx, os.Stdout, os.Stderr, args)
		}
	case "serve":
		err = server.Main(ctx, args, os.Stderr)
	case "worker":
		remote.WorkerMain() // as a worker started by lanes itself: never returns
	case "help", "-h", "--help":
		fmt.Println(usage)
	default:
		fmt.Fprintf(os.Stderr, "lanes: unknown command %q\n%s\n", cmd, usage)
		os.Exit(2)
	}
	var exit taskrun.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.Code) // the task's command line said why
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lanes:", err)
		os.Exit(cli.ExitCode(err))
	}
}
