package demo_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
)

// TestKnobTable checks the one table of knobs at init: every demo's
// parameter is a row of it under the row's name and unit, with a default
// within its bounds, and no two rows or parameters share a name. A knob
// that is not in the table cannot be set or read (Param has no other way).
func TestKnobTable(t *testing.T) {
	names := map[string]bool{"demo": true, "strategy": true, "target": true}
	for _, k := range demo.Knobs {
		assert.False(t, names[k.Name], "%s named twice", k.Name)
		names[k.Name] = true
		assert.Contains(t, []string{"", demo.UnitMs}, k.Unit, k.Name)
		assert.NotEmpty(t, k.Help, k.Name)
	}
	for _, d := range demo.All() {
		seen := map[string]bool{}
		for _, p := range d.Params {
			t.Run(d.ID+"/"+p.Name, func(t *testing.T) {
				require.NotNil(t, p.Knob(), "not made from the table")
				assert.Equal(t, p.Knob().Name, p.Name)
				assert.Equal(t, p.Knob().Unit, p.Unit)
				assert.False(t, seen[p.Name], "given twice")
				seen[p.Name] = true
				assert.LessOrEqual(t, p.Min, p.Default)
				assert.LessOrEqual(t, p.Default, p.Max)
				assert.Equal(t, p.Default, d.Defaults().Value(p))
			})
		}
	}
}

// TestKnobsReachableFromTheURL: each demo's every knob, set to a value
// other than its default, survives Query and ParseQuery (the page's URL
// and links); the command line and the API have tests of their own in
// server/cli and server/runapi.
func TestKnobsReachableFromTheURL(t *testing.T) {
	for _, d := range demo.All() {
		for _, p := range d.Params {
			t.Run(d.ID+"/"+p.Name, func(t *testing.T) {
				want := p.Max
				if want == p.Default {
					want = p.Min
				}
				cfg, err := demo.Parse(map[string]string{"demo": d.ID, p.Name: p.Format(want)})
				require.NoError(t, err)
				assert.Equal(t, want, cfg.Value(p))
				q, err := url.ParseQuery(cfg.Query().Encode())
				require.NoError(t, err)
				back, err := demo.ParseQuery(q)
				require.NoError(t, err)
				assert.Equal(t, want, back.Value(p))
			})
		}
	}
}

func TestParamFormats(t *testing.T) {
	d, err := demo.Lookup("io-download")
	require.NoError(t, err)
	for _, p := range d.Params {
		switch p.Name {
		case demo.KnobLatency:
			assert.Equal(t, "250ms", p.Format(250))
			assert.Equal(t, "latency_ms", p.ReportName())
			assert.Equal(t, "latency (ms)", p.Label())
		case demo.KnobTasks:
			assert.Equal(t, "250", p.Format(250))
			assert.Equal(t, "tasks", p.ReportName())
			assert.Equal(t, "tasks", p.Label())
		}
	}
}
