package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"lanes/core/demo"
	"lanes/core/report"
)

// printTable prints one row per run — strategy, lanes, capacity, wall,
// ideal, speedup and efficiency — then the results (once, when every run
// has the same whole one), where the time beyond the ideal went, what a
// lane cost in memory where the demo measured it, and each run's verdict,
// in 80 columns.
func printTable(w io.Writer, d *demo.Demo, rep report.Report) {
	p := rep.Platform
	fmt.Fprintf(w, "%s  %s\n(%s %s/%s, %d CPUs, GOMAXPROCS %d, %s)\n",
		rep.Demo, paramLine(rep.Params), p.Kind, p.OS, p.Arch, p.CPUs, p.GOMAXPROCS, p.Go)
	oneResult := sameResult(rep.Runs)
	repeats := 1
	for _, r := range rep.Runs {
		repeats = max(repeats, r.Repeats())
	}
	wall := "wall"
	if repeats > 1 {
		wall = fmt.Sprintf("wall (median of %d)", repeats)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "strategy\tlanes\tcap\t"+wall+"\tideal\tspeedup\teff\t")
	for _, r := range rep.Runs {
		speedup := "—"
		if r.Speedup > 0 {
			speedup = fmt.Sprintf("%.2f×", r.Speedup)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%.0f%%\t\n", r.Strategy, r.Lanes, r.Capacity,
			ms(r.WallMs), ms(r.IdealMs), speedup, 100*r.Efficiency)
	}
	tw.Flush()
	if oneResult != "" {
		fmt.Fprintf(w, "result: %s (every run)\n", oneResult)
	} else {
		fmt.Fprintln(w, "results:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range rep.Runs {
			result := r.Result
			if r.Partial {
				result += " (partial)"
			}
			if r.Expected != "" {
				result += " of " + r.Expected
			}
			fmt.Fprintf(tw, "  %s\t%s\n", r.Strategy, result)
		}
		tw.Flush()
	}
	printLosses(w, rep.Runs)
	printMemory(w, rep.Runs)
	for _, r := range rep.Runs {
		if r.Verdict != "" {
			fmt.Fprintln(w, wrap("- "+r.Verdict, 80, "  "))
		}
	}
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

// printLosses prints where each run's time beyond its ideal went, and the
// range of its repeats when it has them.
func printLosses(w io.Writer, runs []report.Run) {
	spread := false
	for _, r := range runs {
		spread = spread || r.Spread != nil
	}
	fmt.Fprintln(w, "time beyond the ideal:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "strategy\tstartup\tdispatch\timbalance\tcontention\t"
	if spread {
		head += "repeats ranged\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range runs {
		l := r.Losses
		if l == nil {
			l = &report.Losses{}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t", r.Strategy, ms(l.StartupMs), ms(l.DispatchMs), ms(l.ImbalanceMs), ms(l.ContentionMs))
		if spread {
			if s := r.Spread; s != nil {
				fmt.Fprintf(tw, "%s–%s\t", ms(s.MinMs), ms(s.MaxMs))
			} else {
				fmt.Fprint(tw, "\t")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// sameResult returns the runs' result when every run has it, whole, and
// "" otherwise.
func sameResult(runs []report.Run) string {
	if len(runs) == 0 {
		return ""
	}
	for _, r := range runs {
		if r.Partial || r.Result != runs[0].Result || r.Expected != "" {
			return ""
		}
	}
	return runs[0].Result
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

// ms writes a time in milliseconds for the table (report.FormatMs).
func ms(x float64) string { return report.FormatMs(x) }

// wrap breaks text at spaces into lines of at most width runes where it
// can, indenting the lines after the first.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		if i > 0 && line+1+n > width {
			b.WriteString("\n" + indent)
			line = utf8.RuneCountInString(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}

// hang wraps text to fit width after prefix, lines after the first
// indented to line up under it.
func hang(prefix, text string, width int) string {
	n := utf8.RuneCountInString(prefix)
	pad := strings.Repeat(" ", n)
	lines := strings.Split(wrap(text, width-n, ""), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
