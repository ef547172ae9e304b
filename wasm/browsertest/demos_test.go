//go:build !js

package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// results are the page's finished runs: strategy → its result text.
func results(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	return eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll(".run[data-final]"))
		.map(e => [e.dataset.strategy, e.querySelector(".result").textContent]))`)
}

// runDemo opens the app with query and autorun=1, and waits for the run.
func runDemo(t *testing.T, ctx context.Context, query string, timeout time.Duration) map[string]string {
	t.Helper()
	open(t, ctx, "/?"+query+"&autorun=1")
	waitFor(t, ctx, `document.querySelector("#lanes").dataset.state === "done"`, timeout)
	return results(t, ctx)
}

func TestDemosExactResults(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  map[string]string
	}{
		{"cpu-sumsq", "demo=cpu-sumsq&strategy=sequential,goroutines,workers,partition&size=1e8&workers=2",
			map[string]string{"sequential": "333333328333333350000000", "goroutines": "333333328333333350000000",
				"workers": "333333328333333350000000", "partition": "333333328333333350000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := page(t)
			got := runDemo(t, ctx, tt.query, 60*time.Second)
			require.Len(t, got, len(tt.want))
			assert.Equal(t, tt.want, got)
		})
	}
}
