package cli

import (
	"fmt"
	"io"

	"lanes/core/report"
)

// printMemory prints what each run's lanes cost in memory, where the demo
// measured it (report.Memory): a parked goroutine's stack, and an OS
// thread's memory for comparison.
func printMemory(w io.Writer, runs []report.Run) {
	head := false
	for _, r := range runs {
		if r.Memory == nil || r.Memory.Summary() == "" {
			continue
		}
		if !head {
			fmt.Fprintln(w, "memory a lane cost:")
			head = true
		}
		fmt.Fprintln(w, "  "+wrap(r.Strategy+": "+r.Memory.Summary(), 78, "    "))
	}
}
