package cli

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"lanes/core/report"
)

// The timeline that lanes run --timeline draws in the terminal, a run
// under the table's: its lanes' states, a glyph each, the states off the
// lanes, and the deliveries (docs/design.md, "Command line").

// taskMarks are the characters that stand for tasks on a terminal
// timeline's row of deliveries, by task id.
const taskMarks = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// glyphs are the characters that stand for the task states; a lane that
// sat idle is blank.
var glyphs = map[string]byte{
	report.StateQueued:      '.',
	report.StatePermit:      ':',
	report.StateDispatch:    '>',
	report.StateIOWait:      '~',
	report.StateTransfer:    '=',
	report.StateCompute:     '#',
	report.StateLock:        'L',
	report.StateUndelivered: '_',
	report.StateCancelled:   'x',
}

// offLane are the states drawn in rows of their own, below the lanes, in
// order: those not report.OnLane.
var offLane = []string{report.StateQueued, report.StatePermit, report.StateUndelivered}

// maxLaneRows is the most rows the lanes take; more lanes are drawn in
// groups, a row each.
const maxLaneRows = 40

// drawTimeline draws a run's lanes width columns wide: a row per lane (or
// per group of lanes, when there are more than maxLaneRows), each cell
// the state that filled most of it, or x where a task was cancelled, and
// after it the row's tasks in the order they started; a row
// for each state off the lanes (queued, waiting for a permit, held
// undelivered) marking when any task was in it, with how many at most;
// a row with each task's mark where its result was delivered, and the
// delivery order; and a legend.
func drawTimeline(w io.Writer, run report.Run, width int) {
	fmt.Fprintf(w, "\n%s — %s over %d columns\n", run.Strategy, ms(run.WallMs), width)
	if run.WallMs <= 0 {
		return
	}
	ids := laneIDs(run)
	rows, per := laneRows(run, ids, width)
	if per > 1 {
		fmt.Fprintf(w, "  %d lanes shown as %d rows of up to %d; a cell: the state they spent most time in\n",
			len(ids), len(rows), per)
	}
	seen := map[string]bool{}
	type line struct {
		label, cells, note string
		row                *laneRow // whose tasks the note names
	}
	var lines []line
	for _, r := range rows {
		lines = append(lines, line{label: r.label, cells: r.draw(seen), row: r})
	}
	for _, state := range offLane {
		cells, most := offLaneRow(run, state, width)
		if most > 0 {
			seen[state] = true
			lines = append(lines, line{label: state, cells: cells, note: fmt.Sprintf(" at most %d", most)})
		}
	}
	lines = append(lines, line{label: "delivered", cells: deliveries(run, width)})
	pad := 0
	for _, l := range lines {
		pad = max(pad, len(l.label))
	}
	for _, l := range lines {
		if l.row != nil {
			l.note = l.row.tasksNote(maxLine - len("  ") - pad - len(" ||") - width)
		}
		fmt.Fprintf(w, "  %-*s |%s|%s\n", pad, l.label, l.cells, l.note)
	}
	if len(run.Tasks) <= 32 {
		var order []string
		for _, t := range byDelivery(run) {
			order = append(order, fmt.Sprint(t.ID))
		}
		fmt.Fprintf(w, "  delivery order: %s\n", strings.Join(order, " "))
	}
	fmt.Fprintf(w, "  %s\n", legend(seen))
}

// A laneRow is one row of lanes: how long its lanes spent in each state
// in each cell, and where a task was cancelled.
type laneRow struct {
	label string
	lanes int         // how many it holds
	cell  float64     // a cell's length in ms
	ms    [][]float64 // [cell][state index]
	cut   []bool
	tasks []report.Task // on the row's lanes, by start
}

// maxLine is how wide a line of the timeline may be.
const maxLine = 100

// tasksNote names the row's tasks in the order they started, within
// room characters: their ids for a lane of its own, or how many for a
// group of lanes.
func (r *laneRow) tasksNote(room int) string {
	if r.lanes > 1 {
		return fmt.Sprintf(" %d tasks", len(r.tasks))
	}
	const more = " …" // two columns
	note := ""
	for i, t := range r.tasks {
		next := fmt.Sprintf(" %d", t.ID)
		if last := i == len(r.tasks)-1; len(note)+len(next) > room || !last && len(note)+len(next)+2 > room {
			return note + more
		}
		note += next
	}
	return note
}

// laneRows gathers the run's on-lane phases into rows of its lanes ids,
// per lanes each.
func laneRows(run report.Run, ids []int, width int) (rows []*laneRow, per int) {
	per = max(1, (len(ids)+maxLaneRows-1)/maxLaneRows)
	rowOf := map[int]*laneRow{}
	for start := 0; start < len(ids); start += per {
		group := ids[start:min(start+per, len(ids))]
		r := &laneRow{label: fmt.Sprintf("lane %3d", group[0]), lanes: len(group), cell: run.WallMs / float64(width),
			ms: make([][]float64, width), cut: make([]bool, width)}
		if len(group) > 1 {
			r.label = fmt.Sprintf("lanes %d-%d", group[0], group[len(group)-1])
		}
		for c := range r.ms {
			r.ms[c] = make([]float64, len(report.States))
		}
		for _, l := range group {
			rowOf[l] = r
		}
		rows = append(rows, r)
	}
	for _, t := range run.Tasks {
		r := rowOf[t.Lane]
		if r == nil {
			continue // never started
		}
		r.tasks = append(r.tasks, t)
		for _, p := range report.PhasesOf(t) {
			if report.OnLane(p.State) {
				r.add(p)
			}
		}
	}
	for _, r := range rows {
		slices.SortStableFunc(r.tasks, func(a, b report.Task) int { return cmp.Compare(a.StartMs, b.StartMs) })
	}
	return rows, per
}

// laneIDs lists the lanes the run's tasks were placed on, in order.
func laneIDs(run report.Run) []int {
	var ids []int
	for _, t := range run.Tasks {
		if t.Lane >= 0 {
			ids = append(ids, t.Lane)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// add spreads a phase over the cells it covers.
func (r *laneRow) add(p report.Phase) {
	s := slices.Index(report.States, p.State)
	if s < 0 {
		return
	}
	width := len(r.ms)
	first := min(int(p.StartMs/r.cell), width-1)
	last := min(int(p.EndMs/r.cell), width-1)
	for c := max(first, 0); c <= last; c++ {
		from, to := math.Max(p.StartMs, float64(c)*r.cell), math.Min(p.EndMs, float64(c+1)*r.cell)
		if to > from {
			r.ms[c][s] += to - from
		}
	}
	if p.State == report.StateCancelled && first >= 0 {
		r.cut[first] = true
	}
}

// draw returns the row's cells, noting the states it shows in seen. A
// cell shows the state its lanes spent the most time in, however short,
// and is blank when they were idle throughout; x marks a cancellation.
func (r *laneRow) draw(seen map[string]bool) string {
	cells := make([]byte, len(r.ms))
	for c, spent := range r.ms {
		top := -1
		for s, ms := range spent {
			if ms > 0 && (top < 0 || ms > spent[top]) {
				top = s
			}
		}
		switch {
		case r.cut[c]:
			top = slices.Index(report.States, report.StateCancelled)
		case top < 0:
			cells[c] = ' '
			continue
		}
		state := report.States[top]
		seen[state] = true
		cells[c] = glyphs[state]
	}
	return string(cells)
}

// offLaneRow marks the cells in which any task was in state, and says how
// many tasks were in it at once, at most.
func offLaneRow(run report.Run, state string, width int) (string, int) {
	cells := []byte(strings.Repeat(" ", width))
	type edge struct {
		ms float64
		d  int
	}
	var edges []edge
	for _, t := range run.Tasks {
		for _, p := range report.PhasesOf(t) {
			if p.State != state || p.EndMs <= p.StartMs {
				continue
			}
			edges = append(edges, edge{p.StartMs, 1}, edge{p.EndMs, -1})
			first := col(p.StartMs, run.WallMs, width)
			last := max(first, min(int(math.Ceil(p.EndMs/run.WallMs*float64(width)))-1, width-1))
			for c := first; c <= last; c++ {
				cells[c] = glyphs[state]
			}
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.ms, b.ms); c != 0 {
			return c
		}
		return a.d - b.d // ends first
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.d
		most = max(most, n)
	}
	return string(cells), most
}

// byDelivery returns the run's tasks in the order they were delivered.
func byDelivery(run report.Run) []report.Task {
	tasks := slices.Clone(run.Tasks)
	slices.SortStableFunc(tasks, func(a, b report.Task) int { return cmp.Compare(a.DeliveredMs, b.DeliveredMs) })
	return tasks
}

// deliveries marks each task where its result was delivered: with its
// mark, or * when there are more tasks than marks.
func deliveries(run report.Run, width int) string {
	cells := []byte(strings.Repeat(" ", width))
	for _, t := range byDelivery(run) {
		mark := byte('*')
		if len(run.Tasks) <= len(taskMarks) {
			mark = taskMarks[t.ID]
		}
		cells[col(t.DeliveredMs, run.WallMs, width)] = mark
	}
	return string(cells)
}

// legend names the glyphs of the states seen, on one line of at most
// maxLegend characters: spaced less, and without idle, when there are
// many.
func legend(seen map[string]bool) string {
	var parts []string
	for _, s := range report.States {
		if seen[s] {
			parts = append(parts, string(glyphs[s])+" "+s)
		}
	}
	idle := append(slices.Clone(parts), "blank: idle")
	for _, l := range []string{strings.Join(idle, "   "), strings.Join(idle, "  "), strings.Join(parts, "  ")} {
		if len(l) <= maxLegend {
			return l
		}
	}
	return strings.Join(parts, " ")
}

// maxLegend keeps the legend's line within 100 columns.
const maxLegend = 96

func col(at, wall float64, width int) int {
	return max(min(int(at/wall*float64(width)), width-1), 0)
}
