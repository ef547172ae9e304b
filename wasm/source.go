// Package wasm carries the Go source of the browser packages a user's
// task's Web Worker is built from — the worker's main (worker), its pool
// of CPU workers (pool), the browser's fetch (fetch), promises (promise)
// and the program around the task (taskworker) —
// for the build service (server/build), beside core's (package core).
// The app (wasm/app) and the browser tests are not among them.
package wasm

import "embed"

// Source holds the packages' files, by their paths under wasm/.
//
//go:embed worker/*.go pool/*.go fetch/*.go promise/*.go taskworker/*.go
var Source embed.FS
