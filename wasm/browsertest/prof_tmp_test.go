//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

type profEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`
	Dur  float64         `json:"dur"`
	Tdur float64         `json:"tdur"`
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	ID   string          `json:"id"`
	Args json.RawMessage `json:"args"`
}

type chunkArgs struct {
	Data struct {
		StartTime  float64 `json:"startTime"`
		CPUProfile struct {
			Nodes []struct {
				ID        int `json:"id"`
				Parent    int `json:"parent"`
				CallFrame struct {
					FunctionName string `json:"functionName"`
				} `json:"callFrame"`
			} `json:"nodes"`
			Samples []int `json:"samples"`
		} `json:"cpuProfile"`
		TimeDeltas []float64 `json:"timeDeltas"`
	} `json:"data"`
}

func BenchmarkProfTmp(b *testing.B) {
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions()...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?demo=cpu-sumsq")); err != nil {
		b.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	q := liveQueries[0]
	var mu sync.Mutex
	var events []profEvent
	complete := make(chan struct{})
	chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				var t profEvent
				if json.Unmarshal([]byte(v), &t) == nil {
					events = append(events, t)
				}
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(complete)
		}
	})
	cats := []string{"toplevel", "blink.user_timing", "disabled-by-default-v8.cpu_profiler", "v8"}
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: cats}}); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/?"+q+"&autorun=1")); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#lanes")?.dataset.state === "done"`, chromedp.WithPollingTimeout(120*time.Second))); err != nil {
		b.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if _, err := chromedp.Call(ctx, tracing.End, struct{}{}); err != nil {
		b.Fatal(err)
	}
	<-complete
	pid, tid := -1, -1
	for _, e := range events {
		if e.Name == "lanes live" && e.Cat == "blink.user_timing" {
			pid, tid = e.Pid, e.Tid
		}
	}
	// The main thread's profile.
	profID := ""
	var start float64
	for _, e := range events {
		if e.Name == "Profile" && e.Pid == pid && e.Tid == tid {
			profID = e.ID
			var a chunkArgs
			json.Unmarshal(e.Args, &a)
			start = a.Data.StartTime
		}
	}
	name := map[int]string{}
	parent := map[int]int{}
	type sample struct {
		t  float64
		id int
	}
	var samples []sample
	at := start
	for _, e := range events {
		if e.Name != "ProfileChunk" || e.ID != profID || e.Pid != pid {
			continue
		}
		var a chunkArgs
		json.Unmarshal(e.Args, &a)
		for _, n := range a.Data.CPUProfile.Nodes {
			name[n.ID] = n.CallFrame.FunctionName
			if n.Parent != 0 {
				parent[n.ID] = n.Parent
			}
		}
		for i, s := range a.Data.CPUProfile.Samples {
			if i < len(a.Data.TimeDeltas) {
				at += a.Data.TimeDeltas[i]
			}
			samples = append(samples, sample{at, s})
		}
	}
	say("profile %s: %d samples, %d nodes", profID, len(samples), len(name))
	type task struct{ ts, dur, tdur float64 }
	var tasks []task
	for _, t := range events {
		if t.Ph == "X" && t.Cat == "toplevel" && t.Pid == pid && t.Tid == tid && t.Dur > 18000 {
			tasks = append(tasks, task{t.Ts, t.Dur / 1000, t.Tdur / 1000})
		}
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].dur > tasks[j].dur })
	for _, t := range tasks[:min(10, len(tasks))] {
		incl := map[string]int{}
		n := 0
		for _, s := range samples {
			if s.t < t.ts || s.t > t.ts+t.dur*1000 {
				continue
			}
			n++
			seen := map[string]bool{}
			for x := s.id; x != 0; x = parent[x] {
				f := name[x]
				if f == "" || seen[f] {
					continue
				}
				seen[f] = true
				incl[f]++
			}
		}
		type kv struct {
			f string
			c int
		}
		var all []kv
		for f, c := range incl {
			if strings.Contains(f, ".") || strings.Contains(f, "/") {
				all = append(all, kv{f, c})
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].c > all[j].c })
		line := fmt.Sprintf("task at %.0f: %.1f ms (cpu %.1f), %d samples:", (t.ts-start)/1000, t.dur, t.tdur, n)
		for _, x := range all[:min(14, len(all))] {
			line += fmt.Sprintf("\n        %3d %s", x.c, x.f)
		}
		say("%s", line)
	}
}
