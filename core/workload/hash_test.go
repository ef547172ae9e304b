package workload_test

import (
	"bytes"
	"context"
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

// fnvRepeated is FNV-1a of body repeated rounds times, by hash/fnv.
func fnvRepeated(body []byte, rounds int) uint64 {
	h := fnv.New64a()
	h.Write(bytes.Repeat(body, rounds))
	return h.Sum64()
}

func TestHash(t *testing.T) {
	cases := []struct {
		name   string
		body   []byte
		rounds int
	}{
		{"no rounds", []byte("abc"), 0},
		{"empty body", nil, 10},
		{"one round", []byte("hello, lanes"), 1},
		{"63 rounds", []byte("x\ny"), 63},
		{"64 rounds", []byte("x\ny"), 64},
		{"many rounds", bytes.Repeat([]byte{0, 1, 255}, 100), 500},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := workload.Hash(context.Background(), c.body, c.rounds)
			require.NoError(t, err)
			assert.Equal(t, fnvRepeated(c.body, c.rounds), got)
		})
	}
}

func TestHashStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := workload.Hash(ctx, []byte("abc"), 1_000_000_000)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestHashStopsWhenCancelledBelow64Rounds gives Hash fewer rounds than its
// yield period but a long body: a done ctx cuts the work (the hash given
// back is not the finished one) instead of being seen only at the end.
func TestHashStopsWhenCancelledBelow64Rounds(t *testing.T) {
	body := bytes.Repeat([]byte("lanes"), 1<<19) // 2.5 MB
	for _, rounds := range []int{2, 63} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		got, err := workload.Hash(ctx, body, rounds)
		assert.ErrorIs(t, err, context.Canceled, "rounds=%d", rounds)
		assert.NotEqual(t, fnvRepeated(body, rounds), got, "rounds=%d: the work was cut, not finished", rounds)
	}
}
