// Package task is where a user's task lives in a build of Lanes around it:
// the build service (server/build) and lanes run --task (server/taskrun)
// compile the user's one file, package task, in place of this one, and the
// programs built around it (wasm/taskworker, server/taskrun/taskmain)
// register its Task with workload.SetTask. The task API is
// workload.TaskFunc.
//
// This placeholder gives i², so that those programs build and run from the
// repository as they are.
package task

import (
	"context"
	"strconv"
)

// Task is task i of n: here, i².
func Task(ctx context.Context, i, n int) (string, error) {
	return strconv.Itoa(i * i), ctx.Err()
}
