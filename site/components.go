package site

import (
	"github.com/vugu/vugu"

	"lanes/core/report"
)

// The page's parts, each a Vugu component (its .vugu file of the same
// name). Those that act on the page hold the Root, whose methods change its
// state; the others only show what they are given.

// Knobs is the form of a demo's parameters and strategies.
type Knobs struct {
	Root *Root
}

// RunCard shows one run: its timeline and, once it is finished, its
// summary and exact result.
type RunCard struct {
	Run     report.Run
	Final   bool      // finished, not the run under way
	Caption string    // lanes and tasks
	Drawing vugu.HTML // the timeline, as Timeline draws it
}

// ComparePanel sets the browser's runs beside native ones: run by the
// server, or loaded from a saved report.
type ComparePanel struct {
	Root *Root
}

// SharePanel shows the link to the current settings and the iframe
// snippet that embeds them.
type SharePanel struct {
	Link    string
	Snippet string
}

// SourcePanel shows the Go files the demo runs, each opened on demand.
type SourcePanel struct {
	Root *Root
}
