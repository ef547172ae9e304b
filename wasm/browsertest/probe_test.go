//go:build !js

package browsertest

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func BenchmarkProbe(b *testing.B) {
	q := os.Getenv("Q")
	for i := 0; i < 3; i++ {
		rep := embedFirstVisit(b, q)
		for _, r := range rep.Runs {
			var cs []string
			for _, t := range r.Tasks {
				cs = append(cs, fmt.Sprintf("%d:%.0f-%.0f", t.Lane, t.StartMs, t.EndMs))
			}
			b.Logf("%s %.0f: %s", r.Strategy, r.WallMs, strings.Join(cs, " "))
		}
	}
}
