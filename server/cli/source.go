package cli

import "embed"

// Source holds this package's Go source, for lanes run --task
// (server/taskrun), which builds a command line around a user's task from
// it and core's source (package core).
//
//go:embed *.go
var Source embed.FS
