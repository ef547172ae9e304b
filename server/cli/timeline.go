package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"lanes/core/report"
)

// taskMarks are the characters that stand for tasks on a terminal
// timeline, by task id.
const taskMarks = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// drawTimeline draws a run's lanes width columns wide: a row per lane, each
// task's span filled with its mark (x for a failed task), dots where the
// lane sat idle; then a row with each task's mark where its result was
// delivered, and the delivery order.
func drawTimeline(w io.Writer, run report.Run, width int) {
	fmt.Fprintf(w, "\n%s — %s over %d columns\n", run.Strategy, ms(run.WallMs), width)
	if run.WallMs <= 0 {
		return
	}
	rows := map[int][]byte{}
	for _, t := range run.Tasks {
		if t.Lane < 0 {
			continue
		}
		row, ok := rows[t.Lane]
		if !ok {
			row = []byte(strings.Repeat(".", width))
			rows[t.Lane] = row
		}
		from := col(t.StartMs, run.WallMs, width)
		to := max(col(t.EndMs, run.WallMs, width), from+1)
		mark := taskMarks[t.ID%len(taskMarks)]
		if t.Error != "" {
			mark = 'x'
		}
		for c := from; c < min(to, width); c++ {
			row[c] = mark
		}
	}
	lanes := make([]int, 0, len(rows))
	for l := range rows {
		lanes = append(lanes, l)
	}
	sort.Ints(lanes)
	for _, l := range lanes {
		fmt.Fprintf(w, "  lane %3d |%s|\n", l, rows[l])
	}
	delivered := []byte(strings.Repeat(" ", width))
	byDelivery := append([]report.Task(nil), run.Tasks...)
	sort.SliceStable(byDelivery, func(i, j int) bool { return byDelivery[i].DeliveredMs < byDelivery[j].DeliveredMs })
	var order []string
	for _, t := range byDelivery {
		delivered[col(t.DeliveredMs, run.WallMs, width)] = taskMarks[t.ID%len(taskMarks)]
		order = append(order, fmt.Sprint(t.ID))
	}
	fmt.Fprintf(w, "  delivered |%s|\n", delivered)
	if len(order) <= 32 {
		fmt.Fprintf(w, "  delivery order: %s\n", strings.Join(order, " "))
	}
}

func col(at, wall float64, width int) int {
	return min(int(at/wall*float64(width)), width-1)
}
