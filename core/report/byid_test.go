package report_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
)

// TestByIDIsAMap: values put by ID, numbered from 0 up or oddly, and again
// under IDs already put, are got and gone over as a map of them gives
// them.
func TestByIDIsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, top := range []int{3, 100, 20_000, 1 << 40} {
		var s report.ByID[string]
		if rng.IntN(2) == 0 {
			s.Expect(min(top, 5000))
		}
		want := map[int]string{}
		for i := range 3000 {
			id := rng.IntN(min(top, 1<<20))
			if top > 1<<20 && rng.IntN(4) == 0 {
				id = rng.IntN(top) - top/2
			}
			s.Put(id, fmt.Sprint(i))
			want[id] = fmt.Sprint(i)
		}
		for id := range want {
			got, ok := s.Get(id)
			require.True(t, ok, "%d", id)
			require.Equal(t, want[id], got, "the last put of ID %d", id)
		}
		for range 1000 {
			id := rng.IntN(2*min(top, 1<<20)) - min(top, 1<<20)
			got, ok := s.Get(id)
			w, wok := want[id]
			require.Equal(t, wok, ok, "%d", id)
			require.Equal(t, w, got)
		}
		for id := range 20 {
			_, w := want[id]
			assert.Equal(t, w, s.Has(id), "has %d", id)
		}
		all := map[int]string{}
		for id, v := range s.All {
			_, twice := all[id]
			require.False(t, twice, "ID %d twice", id)
			all[id] = v
		}
		assert.Equal(t, want, all)
	}
	var none *report.ByID[int]
	_, ok := none.Get(0)
	assert.False(t, ok, "a nil ByID holds nothing")
	for range none.All {
		t.Fatal("a nil ByID holds nothing")
	}
}
