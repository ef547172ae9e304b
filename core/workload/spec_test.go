package workload_test

import (
	"context"
	"encoding/json"
	"lanes/core/internal/exact"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/workload"
)

func TestRunnerRun(t *testing.T) {
	body := []byte("the quick brown fox")
	cases := []struct {
		name      string
		spec      workload.Spec
		value     string
		bytes     int64
		errSubstr string
	}{
		{"sumsq", workload.Spec{Kind: workload.KindSumSquares, Lo: 10, Hi: 1000}, exact.SumSquaresRange(10, 1000).String(), 0, ""},
		{"sumsq empty", workload.Spec{Kind: workload.KindSumSquares}, "0", 0, ""},
		{"sumsq hi too large", workload.Spec{Kind: workload.KindSumSquares, Hi: workload.MaxSumSquaresHi + 1}, "", 0, "sumsq: hi 4294967297 above 4294967296"},
		{"primes", workload.Spec{Kind: workload.KindPrimes, Lo: 0, Hi: 3000}, strconv.FormatUint(exact.PrimesIn(0, 3000), 10), 0, ""},
		{"primes hi too large", workload.Spec{Kind: workload.KindPrimes, Hi: workload.MaxPrimesHi + 1}, "", 0, "primes: hi 4294967297 above 4294967296"},
		{"hash", workload.Spec{Kind: workload.KindHash, Body: body, Rounds: 7}, strconv.FormatUint(fnvRepeated(body, 7), 10), int64(len(body)), ""},
		{"wait", workload.Spec{Kind: workload.KindWait, WaitMs: 1, Answer: 49}, "49", 0, ""},
		{"unknown kind", workload.Spec{Kind: "juggle"}, "", 0, `workload: unknown kind "juggle"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := workload.Runner{}.Run(context.Background(), c.spec)
			if c.errSubstr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.errSubstr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.value, out.Value)
			assert.Equal(t, c.bytes, out.Bytes)
		})
	}
}

func TestRunnerWaitStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := workload.Runner{}.Run(ctx, workload.Spec{Kind: workload.KindWait, WaitMs: 60_000})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestSpecJSONRoundTrip(t *testing.T) {
	specs := []workload.Spec{
		{Kind: workload.KindSumSquares, Lo: 1, Hi: workload.MaxSumSquaresHi},
		{Kind: workload.KindFetchHash, URL: "http://127.0.0.1:1/t/x?bytes=3", Rounds: 5},
		{Kind: workload.KindHash, Body: []byte{0, 1, 2, 255, '\n'}, Rounds: 2},
		{Kind: workload.KindWait, WaitMs: 12.5, Answer: 9},
	}
	for _, s := range specs {
		t.Run(string(s.Kind), func(t *testing.T) {
			data, err := json.Marshal(s)
			require.NoError(t, err)
			var back workload.Spec
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, s, back)
		})
	}
	assert.True(t, workload.Spec{Kind: workload.KindFetch}.IO())
	assert.True(t, workload.Spec{Kind: workload.KindFetchHash}.IO())
	assert.False(t, workload.Spec{Kind: workload.KindHash}.IO())
}

func TestFilesHoldTheSource(t *testing.T) {
	for _, name := range []string{"sumsq.go", "primes.go", "hash.go", "spec.go", "u128.go"} {
		code, err := workload.Files.ReadFile(name)
		require.NoError(t, err, name)
		assert.Contains(t, string(code), "package workload", name)
	}
}
