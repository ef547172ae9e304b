//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func BenchmarkLongTmp(b *testing.B) {
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions()...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?demo=cpu-sumsq")); err != nil {
		b.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	for _, q := range liveQueries {
		var spans []measuredSpan
		events := recordTrace(b, ctx, []string{"toplevel", "blink.user_timing"}, func() {
			if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?"+q+"&autorun=1")); err != nil {
				b.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#lanes")?.dataset.state === "done"`, chromedp.WithPollingTimeout(120*time.Second))); err != nil {
				b.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
		})
		_ = spans
		long, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const runs = performance.getEntriesByName("lanes run");
			const t0 = runs.length ? runs[0].startTime : 0;
			return performance.getEntries().filter(e => e.entryType === "measure" && e.duration > 8 && e.name !== "lanes run").map(e => e.name + " " + String(e.detail) + " at " + (e.startTime - t0).toFixed(0) + ": " + e.duration.toFixed(1));
		})()`))
		if err != nil {
			say("ERR %v", err)
		}
		if err == nil {
			for _, l := range long {
				say("%s", l)
			}
		}
		// main thread: the one with "lanes live"
		pid, tid := -1, -1
		for _, e := range events {
			if e.Name == "lanes live" && e.Cat == "blink.user_timing" {
				pid, tid = e.Pid, e.Tid
			}
		}
		type task struct{ ts, dur, tdur float64 }
		var tasks []task
		for _, t := range events {
			if t.Ph == "X" && t.Cat == "toplevel" && t.Pid == pid && t.Tid == tid && t.Dur > 12000 {
				tasks = append(tasks, task{t.Ts, t.Dur / 1000, t.Tdur / 1000})
			}
		}
		sort.Slice(tasks, func(i, j int) bool { return tasks[i].dur > tasks[j].dur })
		for _, t := range tasks[:min(8, len(tasks))] {
			line := fmt.Sprintf("task %.1f ms (cpu %.1f):", t.dur, t.tdur)
			// measures inside it
			begins := map[string]float64{}
			for _, e := range events {
				if e.Cat != "blink.user_timing" || e.Pid != pid {
					continue
				}
				if e.Ph == "b" {
					begins[e.Name] = e.Ts
				}
				if e.Ph == "e" {
					s := begins[e.Name]
					if s >= t.ts && e.Ts <= t.ts+t.dur*1000 {
						line += fmt.Sprintf(" | %s %.1f", e.Name, (e.Ts-s)/1000)
					}
				}
			}
			say("%s %s", q[:20], line)
		}
	}
}
