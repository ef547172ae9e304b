package site

import (
	"github.com/vugu/vugu/js"

	"lanes/core/demo"
	"lanes/core/report"
)

// The page's parts, each a Vugu component (its .vugu file of the same
// name). Those that act on the page hold a small interface of what they
// need of it (Root implements each); the others only show what they are
// given.

// Knobs is the form of a demo's parameters and strategies.
type Knobs struct {
	Form KnobForm
}

// KnobForm is what the knobs need of the page.
type KnobForm interface {
	ShowKnobs() bool
	Params() []demo.Param
	Strategies() []string
	ParamValue(p demo.Param) string
	SetParam(name, value string)
	HasStrategy(id string) bool
	ToggleStrategy(id string)
	FormError() string
	Running() bool
}

// RunCard shows one run: its timeline and, once it is finished, its
// summary and exact result.
type RunCard struct {
	Run     report.Run
	Final   bool   // finished, not the run under way
	Caption string // lanes and tasks
	Drawing Drawing
	// Draw draws the run's timeline into its box (Backend.DrawTimeline).
	Draw func(box any, run report.Run, spanMs float64)
}

// paint draws the timeline into its box when it has changed. Vugu
// rewrites an element's inner HTML on every render, and a browser parses,
// lays out and paints it all again — for every run on the page, many
// times a second while a run streams, taking CPU from the workers. So the
// box has no content for Vugu, which leaves its children alone, and the
// drawing goes in here, only when its key changes (kept in a property:
// Vugu removes the attributes it did not set).
func (c *RunCard) paint(box js.Value) {
	if !box.Truthy() || box.Get("lanesDrawing").String() == c.Drawing.Key || c.Draw == nil {
		return
	}
	c.Draw(box, c.Run, c.Drawing.Span)
	box.Set("lanesDrawing", c.Drawing.Key)
}

// LiveBox selects the live run's timeline box, which Backend.DrawLive
// draws into while the run streams.
const LiveBox = `.run:not([data-final]) .timeline-box`

// ComparePanel sets the browser's runs beside native ones: run by the
// server, or loaded from a saved report.
type ComparePanel struct {
	Panel Comparer
}

// Comparer is what the comparison panel needs of the page.
type Comparer interface {
	Running() bool
	HasReport() bool // a browser report to download
	CompareNative()
	LoadReport(input any)
	DownloadReport()
	DownloadTrace()
	Busy() bool
	Err() string
	HasNative() bool
	NativePlatform() string
	Rows() []Row
}

// SharePanel shows the link to the current settings and the iframe
// snippet that embeds them.
type SharePanel struct {
	Link    string
	Snippet string
}

// SourcePanel shows the Go files the demo runs, each opened on demand.
type SourcePanel struct {
	Files SourceFiles
}

// SourceFiles is what the source panel needs of the page.
type SourceFiles interface {
	Sources() []demo.Source
	IsOpen(file string) bool
	ToggleSource(file string, open bool)
}

// EditorPanel is the user's own task: its code in the editor, and what
// became of its last build.
type EditorPanel struct {
	Panel TaskPanel
}

// TaskPanel is what the editor panel needs of the page.
type TaskPanel interface {
	Running() bool
	EditorTitle() string
	MountEditor(box js.Value)
	CanReset() bool
	ResetCode()
	CanClose() bool
	CloseEditor()
	EditorNote() string
	BuildError() string
	DiagLines() []string
}
