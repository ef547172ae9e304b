package build_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"lanes/core/starter"
)

// BenchmarkBuild measures what the page waits for after an edit, on the
// cpu-sumsq starter: a one-line edit (a new constant each time) built and
// fetched compressed (brotli, as over HTTPS), a source built before
// (cached), and the module's size. The figures are medians, reported as
// metrics beside ns/op (the mean):
//
//	go test -run '^$' -bench Build -benchtime 10x ./server/build/
func BenchmarkBuild(b *testing.B) {
	_, srv := service(b)
	code, _ := starter.For("cpu-sumsq")
	b.Run("edit", func(b *testing.B) {
		var builds, fetched []time.Duration
		var size int
		for i := 0; b.Loop(); i++ {
			src := strings.Replace(code.Code, "const size = 1_000_000_000", fmt.Sprintf("const size = 1_000_000_%03d // edit %d", i%1000, time.Now().UnixNano()), 1)
			start := time.Now()
			r := post(b, srv, src)
			built := time.Since(start)
			if r.status != http.StatusOK {
				b.Fatalf("%d: %s", r.status, r.Error)
			}
			resp, body := get(b, srv, r.Wasm, "Accept-Encoding", "br")
			if resp.Header.Get("Content-Encoding") != "br" {
				b.Fatal("not brotli")
			}
			builds, fetched = append(builds, built), append(fetched, time.Since(start))
			size = len(body)
		}
		b.ReportMetric(median(builds).Seconds(), "s/build")
		b.ReportMetric(median(fetched).Seconds(), "s/build+fetch")
		b.ReportMetric(float64(size)/1e6, "MB-brotli")
	})
	b.Run("cached", func(b *testing.B) {
		if r := post(b, srv, code.Code); r.status != http.StatusOK {
			b.Fatalf("%d: %s", r.status, r.Error)
		}
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			r := post(b, srv, code.Code)
			times = append(times, time.Since(start))
			if !r.Cached {
				b.Fatal("not cached")
			}
		}
		b.ReportMetric(float64(median(times).Microseconds())/1000, "ms/build")
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
