package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"lanes/core/demo"
	"lanes/core/report"
)

// printTable prints one row per run: strategy, lanes, wall, ideal,
// speedup, efficiency and result.
func printTable(w io.Writer, d *demo.Demo, rep report.Report) {
	p := rep.Platform
	fmt.Fprintf(w, "%s  %s  (native %s/%s, %d CPUs, GOMAXPROCS %d, %s)\n",
		rep.Demo, paramLine(rep.Params), p.OS, p.Arch, p.CPUs, p.GOMAXPROCS, p.Go)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "strategy\tlanes\twall\tideal\tspeedup\tefficiency\tresult\t")
	for _, r := range rep.Runs {
		speedup := "-"
		if r.Speedup > 0 {
			speedup = fmt.Sprintf("%.2f×", r.Speedup)
		}
		result := r.Result
		if r.Partial {
			result += " (partial)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.0f%%\t%s\t\n", r.Strategy, r.Workers,
			ms(r.WallMs), ms(r.IdealMs), speedup, 100*r.Efficiency, result)
	}
	tw.Flush()
	for _, r := range rep.Runs {
		if r.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Strategy, r.Note)
		}
		if r.Partial {
			fmt.Fprintf(w, "%s: %s\n", r.Strategy, cutSummary(r))
		}
		if r.Error != "" {
			fmt.Fprintf(w, "%s: error: %s\n", r.Strategy, r.Error)
		}
	}
}

func paramLine(params map[string]any) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, params[k]))
	}
	return strings.Join(parts, " ")
}

// cutSummary says how many tasks finished, were cut, or never started.
func cutSummary(r report.Run) string {
	var done, cut, unstarted int
	for _, t := range r.Tasks {
		switch {
		case t.Error == "":
			done++
		case t.Lane < 0:
			unstarted++
		default:
			cut++
		}
	}
	return fmt.Sprintf("partial: %d tasks finished, %d cut or failed, %d never started", done, cut, unstarted)
}

func ms(x float64) string {
	if x >= 1000 {
		return fmt.Sprintf("%.2fs", x/1000)
	}
	return fmt.Sprintf("%.1fms", x)
}
