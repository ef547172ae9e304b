package remote_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"lanes/core/internal/exact"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// panicClient is a workload.Client that panics.
type panicClient struct{}

func (panicClient) Get(context.Context, string) (*workload.Response, error) {
	panic("transport exploded")
}

// panicky is a Runner whose downloads panic.
var panicky = workload.Runner{Client: panicClient{}}

func TestHandle(t *testing.T) {
	req := remote.Request{ID: 7, Specs: []workload.Spec{
		{Kind: workload.KindSumSquares, Lo: 5, Hi: 5_000_000},
		{Kind: workload.KindFetch, URL: "http://127.0.0.1:9/"},
		{Kind: workload.KindWait, WaitMs: 5, Answer: 3},
		{Kind: "juggle"},
	}}
	resp := remote.Handle(context.Background(), panicky, req)
	assert.Equal(t, uint64(7), resp.ID)
	require.Len(t, resp.Results, 4)
	assert.Equal(t, exact.SumSquaresRange(5, 5_000_000).String(), resp.Results[0].Output.Value)
	assert.Empty(t, resp.Results[0].Error)
	assert.Equal(t, "panic: transport exploded", resp.Results[1].Error, "a panic fails its spec alone")
	assert.Equal(t, "3", resp.Results[2].Output.Value)
	assert.Empty(t, resp.Results[2].Error)
	assert.Equal(t, `workload: unknown kind "juggle"`, resp.Results[3].Error)
	prevEnd := 0.0
	for i, r := range resp.Results {
		assert.GreaterOrEqual(t, r.StartMs, prevEnd, "spec %d starts after the one before", i)
		assert.GreaterOrEqual(t, r.EndMs, r.StartMs, "spec %d", i)
		prevEnd = r.EndMs
	}
	assert.GreaterOrEqual(t, resp.Results[2].EndMs-resp.Results[2].StartMs, 5.0, "the wait took its time")
	assert.Equal(t, report.StateCompute, resp.Results[0].Output.Phases[0].State, "each spec's phases, from its own start")
	assert.Equal(t, report.StateIOWait, resp.Results[2].Output.Phases[0].State)
	assert.GreaterOrEqual(t, resp.Results[2].Output.Phases[0].EndMs, 5.0)
}

func TestRunSafely(t *testing.T) {
	out, err := remote.RunSafely(context.Background(), panicky, workload.Spec{Kind: workload.KindFetch, URL: "http://127.0.0.1:9/"})
	assert.EqualError(t, err, "panic: transport exploded")
	assert.Empty(t, out.Value)
	out, err = remote.RunSafely(context.Background(), panicky, workload.Spec{Kind: workload.KindPrimes, Hi: 100})
	assert.NoError(t, err)
	assert.Equal(t, "25", out.Value)
}

// serve runs Serve over pipes and returns a way to send requests, and the
// responses it wrote once its input is closed.
func serve(t *testing.T, runner workload.Runner) (send func(string), finish func() ([]remote.Response, error)) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	go func() {
		err := remote.Serve(context.Background(), runner, inR, outW)
		inR.Close() // as a worker exits
		outW.Close()
		served <- err
	}()
	lines := make(chan []remote.Response, 1)
	go func() {
		var got []remote.Response
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			var r remote.Response
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Errorf("bad response line %q: %v", sc.Text(), err)
			}
			got = append(got, r)
		}
		lines <- got
	}()
	send = func(line string) { io.WriteString(inW, line+"\n") }
	finish = func() ([]remote.Response, error) {
		inW.Close()
		err := <-served
		return <-lines, err
	}
	return send, finish
}

func TestServeAnswersEachRequestOnceAndConcurrently(t *testing.T) {
	send, finish := serve(t, panicky)
	requests := []remote.Request{
		{ID: 1, Specs: []workload.Spec{{Kind: workload.KindWait, WaitMs: 300, Answer: 11}}},
		{ID: 2, Specs: []workload.Spec{{Kind: workload.KindSumSquares, Lo: 0, Hi: 1000}, {Kind: workload.KindPrimes, Lo: 0, Hi: 1000}}},
		{ID: 3, Specs: []workload.Spec{{Kind: workload.KindFetch, URL: "http://127.0.0.1:9/"}}},
		{ID: 4, Specs: nil},
	}
	for _, r := range requests {
		data, err := json.Marshal(r)
		require.NoError(t, err)
		send(string(data))
	}
	got, err := finish()
	require.NoError(t, err)
	require.Len(t, got, len(requests), "one answer per request")
	byID := map[uint64]remote.Response{}
	for _, r := range got {
		_, dup := byID[r.ID]
		assert.False(t, dup, "request %d answered twice", r.ID)
		byID[r.ID] = r
	}
	assert.Equal(t, "11", byID[1].Results[0].Output.Value)
	assert.Equal(t, exact.SumSquaresRange(0, 1000).String(), byID[2].Results[0].Output.Value)
	assert.Equal(t, "168", byID[2].Results[1].Output.Value)
	assert.Equal(t, "panic: transport exploded", byID[3].Results[0].Error)
	assert.Empty(t, byID[4].Results)
	assert.Equal(t, uint64(1), got[len(got)-1].ID, "the slow request, answered last: requests run concurrently")
}

func TestServeRejectsABadRequest(t *testing.T) {
	send, finish := serve(t, workload.Runner{})
	send(`{"id": 1, "specs": [{"kind": "wait", "wait_ms": 50, "answer": 4}]}`)
	send(`{"id": 2, "specs": [`)
	got, err := finish()
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "remote: bad request: "), err.Error())
	require.Len(t, got, 1, "the request before still gets its answer")
	assert.Equal(t, "4", got[0].Results[0].Output.Value)
}

func TestServeCutsRequestsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	var out strings.Builder
	in := strings.NewReader(`{"id": 1, "specs": [{"kind": "wait", "wait_ms": 60000}]}` + "\n")
	go func() { served <- remote.Serve(ctx, workload.Runner{}, in, &out) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-served:
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	var resp remote.Response
	require.NoError(t, json.Unmarshal([]byte(out.String()), &resp), out.String())
	require.Len(t, resp.Results, 1)
	assert.Equal(t, context.Canceled.Error(), resp.Results[0].Error, "the cut request is answered with the reason")
}

func TestMessagesRoundTrip(t *testing.T) {
	resp := remote.Response{ID: 9, Results: []remote.Result{
		{Output: workload.Output{Value: "333333328333333350000000", Bytes: 10, Phases: []report.Phase{
			{State: report.StateIOWait, StartMs: 0, EndMs: 0.25}, {State: report.StateCompute, StartMs: 0.25, EndMs: 0.75},
		}}, StartMs: 0.5, EndMs: 1.25},
		{Error: "panic: x", StartMs: 1.25, EndMs: 2},
	}}
	data, err := json.Marshal(resp)
	require.NoError(t, err)
	var back remote.Response
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, resp, back)
	assert.Contains(t, string(data), `"value":"333333328333333350000000"`)
	assert.Equal(t, fmt.Sprint(resp), fmt.Sprint(back))
}
