package site

import (
	"fmt"

	"lanes/core/report"
)

// A Drawing is what a run card's timeline box shows — the run, at the
// time scale shared by the runs shown, so that runs drawn one under the
// other compare at a glance — and a key that changes whenever that does:
// the box is drawn again only then. The drawing itself, its zoom, pan and
// details are the browser's (Backend.DrawTimeline, lanes/site/timeline).
type Drawing struct {
	Key  string
	Span float64
}

// Drawing is the i-th of Shown's drawing.
func (c *Root) Drawing(i int, r report.Run) Drawing {
	span := c.Span()
	return Drawing{Key: fmt.Sprintf("%d|%s|%d|%g|%g|%s", i, r.Strategy, len(r.Tasks), r.WallMs, span, r.Result), Span: span}
}
