package remote_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/remote"
)

func TestPlace(t *testing.T) {
	cases := []struct {
		name       string
		results    []remote.Result
		sent, got  float64
		start, end []float64
	}{
		{"ends when the answer came", []remote.Result{{StartMs: 0, EndMs: 2}, {StartMs: 2, EndMs: 5}}, 10, 20,
			[]float64{15, 17}, []float64{17, 20}},
		{"never before it was sent", []remote.Result{{StartMs: 1, EndMs: 30}}, 10, 20,
			[]float64{11}, []float64{20}},
		{"to the microsecond", []remote.Result{{StartMs: 0.0004, EndMs: 1.0004}}, 0, 1.0004,
			[]float64{0}, []float64{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			remote.Place(c.results, c.sent, c.got)
			for i, r := range c.results {
				assert.InDelta(t, c.start[i], r.StartMs, 1e-9)
				assert.InDelta(t, c.end[i], r.EndMs, 1e-9)
			}
		})
	}
	assert.NoError(t, remote.Result{}.Err())
	assert.EqualError(t, remote.Result{Error: "boom"}.Err(), "boom")
}
