// Package core carries the Go source of Lanes' core packages (every
// package under core/, tests included), so that a Lanes program can build
// programs around a user's task (workload.TaskFunc) from exactly the code
// it was built from: the build service (server/build) and lanes run --task
// (server/taskrun) lay it out as a module with the user's file in place of
// core/task's.
package core

import "embed"

// Source holds core's packages' files, by their paths under core/.
//
//go:embed */*.go */*/*.go
var Source embed.FS
