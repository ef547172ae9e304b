package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

// phased is a task on lane from start to end, delivered at delivered, with
// phases given as state, start pairs; the last ends at delivered.
func phased(id, lane int, start, end, delivered float64, states ...any) report.Task {
	t := report.Task{ID: id, Lane: lane, StartMs: start, EndMs: end, DeliveredMs: delivered}
	for i := 0; i < len(states); i += 2 {
		t.Phases = report.Enter(t.Phases, states[i].(string), states[i+1].(float64))
	}
	report.EndPhases(t.Phases, delivered)
	return t
}

func TestTimelineDrawsStates(t *testing.T) {
	const q, p, d, io, tr, c, l, u, x = report.StateQueued, report.StatePermit, report.StateDispatch, report.StateIOWait,
		report.StateTransfer, report.StateCompute, report.StateLock, report.StateUndelivered, report.StateCancelled
	run := report.Run{Strategy: "pool", WallMs: 32, Tasks: []report.Task{
		phased(0, 0, 0, 16, 24, q, 0.0, io, 0.0, tr, 8.0, c, 12.0, u, 16.0),
		phased(1, 1, 4, 16, 16, q, 0.0, p, 2.0, l, 4.0, c, 8.0),
		phased(2, 0, 20, 30, 32, q, 0.0, d, 16.0, c, 20.0, x, 28.0, u, 30.0),
		phased(3, -1, 30, 30, 32, q, 0.0, x, 30.0, u, 30.0),
	}}
	var out bytes.Buffer
	drawTimeline(&out, run, 16)
	text := out.String()
	lines := strings.Split(text, "\n")
	// Cells of 2 ms. Lane 0: task 0 waits 8 ms, transfers 4, computes 4;
	// task 2 is handed over 4 ms, computes 8, is cancelled 2; then idle.
	assert.Equal(t, "pool — 32.0 ms over 16 columns", lines[1])
	assert.Equal(t, "  lane   0    |~~~~==##>>####x | 0 2", lines[2], "then its tasks, as they started")
	assert.Equal(t, "  lane   1    |  LL####        | 1", lines[3])
	assert.Equal(t, "  queued      |............... | at most 3", lines[4], "task 3 until 30 ms, never started")
	assert.Equal(t, "  permit      | :              | at most 1", lines[5])
	assert.Equal(t, "  undelivered |        ____   _| at most 2", lines[6], "task 0 held 8 ms; tasks 2 and 3 at the end")
	assert.Equal(t, "  delivered   |        1   0  3|", lines[7])
	assert.Equal(t, "  delivery order: 1 0 2 3", lines[8])
	assert.Equal(t, "  . queued : permit > dispatch ~ io-wait = transfer # compute L lock _ undelivered x cancelled", lines[9],
		"all nine states: spaced less to fit")
}

// TestTimelineOfManyLanes: 10,000 lanes are drawn in at most 40 rows of
// lanes, each line within 100 columns, the work showing where it was.
func TestTimelineOfManyLanes(t *testing.T) {
	run := report.Run{Strategy: "goroutines", WallMs: 10_000}
	for k := range 10_000 {
		start := float64(k)
		run.Tasks = append(run.Tasks, phased(k, k, start, start+1, start+1,
			report.StateQueued, 0.0, report.StateCompute, start))
	}
	var out bytes.Buffer
	drawTimeline(&out, run, 64)
	text := out.String()
	assert.Contains(t, text, "10000 lanes shown as 40 rows of up to 250")
	lines := strings.Split(strings.TrimSpace(text), "\n")
	assert.LessOrEqual(t, len(lines), 50)
	rows := 0
	for i, line := range lines {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 100, "%q", line)
		if strings.HasPrefix(line, "  lanes ") {
			rows++
			// Row r holds lanes 250r to 250r+249, which computed one after
			// another from 250r ms: columns 1.6r to 1.6r+1.6.
			cells := line[strings.Index(line, "|")+1 : strings.LastIndex(line, "|")]
			first := strings.IndexByte(cells, '#')
			assert.InDelta(t, float64(i-2)*1.6, float64(first), 1.01, "row %d: %q", i-2, cells)
			assert.Equal(t, fmt.Sprintf("lanes %d-%d", 250*(i-2), 250*(i-2)+249), strings.TrimSpace(line[:strings.Index(line, "|")]))
			assert.True(t, strings.HasSuffix(line, "| 250 tasks"), line)
		}
	}
	assert.Equal(t, 40, rows)
	assert.Contains(t, text, "at most 9999", "every task but the first queued at the start")
}

func TestLegendFitsOnALine(t *testing.T) {
	all := map[string]bool{}
	for _, s := range report.States {
		all[s] = true
		assert.NotZero(t, glyphs[s], s)
	}
	l := legend(all)
	assert.LessOrEqual(t, len(l)+2, 100, l)
	for _, s := range report.States {
		assert.Contains(t, l, string(glyphs[s])+" "+s)
	}
	assert.Equal(t, "# compute   blank: idle", legend(map[string]bool{report.StateCompute: true}))
	seen := map[byte]bool{' ': true}
	for _, g := range glyphs {
		assert.False(t, seen[g], "glyph %q twice", g)
		seen[g] = true
	}
}

func TestTimelineNamesALanesTasksWithinALine(t *testing.T) {
	run := report.Run{Strategy: "sequential", WallMs: 1000}
	for k := range 1000 {
		start := float64(k)
		run.Tasks = append(run.Tasks, phased(k, 0, start, start+1, start+1, report.StateQueued, 0.0, report.StateCompute, start))
	}
	var out bytes.Buffer
	drawTimeline(&out, run, 64)
	lines := strings.Split(out.String(), "\n")
	assert.Regexp(t, `^  lane   0 +\|#{64}\| 0 1 2 3 4 5 6 7 8 9 …$`, lines[2])
	for _, line := range lines {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 100, "%q", line)
	}
	assert.Equal(t, 100, utf8.RuneCountInString(lines[2]), "as many as fit")
}
