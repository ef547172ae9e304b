// Package task is the io-download demo's work written against the task
// API: task i "downloads" a page and answers its length in bytes — the
// classic tutorial's two pages, 10394 and 277 bytes, in turn. With the
// demo's 20 tasks the lengths add up to 106710.
//
// The download is simulated: a task built for the browser has no
// net/http, so it waits the demo's latency (on a timer, or on ctx when
// the run is stopped first) as a download waits on the network. What the
// lesson needs is the wait: it costs time, not CPU, so anything that
// overlaps the waits finishes in about one latency, even on one core.
package task

import (
	"context"
	"strconv"
	"time"
)

// latency is each download's wait, as the demo's latency knob.
const latency = 100 * time.Millisecond

// pages are the lengths of the two pages, downloaded in turn.
var pages = []int{10394, 277}

// Task waits as a download would, then answers the page's length.
func Task(ctx context.Context, i, n int) (string, error) {
	select {
	case <-time.After(latency):
		return strconv.Itoa(pages[i%len(pages)]), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
