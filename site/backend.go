// Package site is Lanes' page: Vugu components that show the demos, run
// them through a Backend (the browser's Web Workers, the server's native
// run), draw each run as a timeline of lanes, and speak the embed protocol.
// It holds no syscall/js code of its own, so its logic is tested natively.
package site

import (
	"context"

	"lanes/core/demo"
	"lanes/core/protocol"
	"lanes/core/report"
)

// A Backend is everything the page needs from the browser and the server.
// wasm/app implements it over Web Workers, fetch and the DOM.
type Backend interface {
	// Platform describes the browser, for reports.
	Platform() report.Platform
	// RunOne runs one strategy (or variant) of cfg in the browser, calling
	// onTask as each task's result is delivered. When ctx is done first it
	// returns ctx.Err(), possibly with a partial run.
	RunOne(ctx context.Context, cfg demo.Config, id string, onTask func(report.Task)) (report.Run, error)
	// Native runs cfg on the server's native Go (POST /api/run).
	Native(ctx context.Context, cfg demo.Config) (report.Report, error)
	// Origin is the page's scheme, host and port, for links.
	Origin() string
	// SetQuery puts the page's state in its URL without reloading.
	SetQuery(query string)
	// Download offers data to the user as a file.
	Download(name, mime string, data []byte)
	// ReadFile reads the file chosen in the file input that fired event.
	ReadFile(ctx context.Context, input any) ([]byte, error)
	// DrawTimeline draws a run's timeline into box, a run card's
	// timeline box (a js.Value), at the time scale spanMs: the lanes and
	// the tasks' states, zoomed, panned and read closely in the browser
	// without a render of the page.
	DrawTimeline(box any, run report.Run, spanMs float64)
	// DrawLive shows the run under way without a render of the page: its
	// timeline, at the time scale spanMs, in the live run's box
	// (LiveBox), and the progress: its text in #progress, done of total
	// in the bar. The run will have tasks tasks when it is over.
	DrawLive(run report.Run, tasks int, spanMs float64, progress string, done, total int)
	// Rehearse readies the page's own work for runs (its drawing's code
	// compiled, its memory touched) before the first run, unless it is
	// ready already or ctx is done first.
	Rehearse(ctx context.Context)
	// Post sends an embed protocol message to the parent page, when there
	// is one.
	Post(msg protocol.Outbound)
}
