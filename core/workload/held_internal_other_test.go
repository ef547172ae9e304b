//go:build !js

package workload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBudgetWaitsHonouringItsContext(t *testing.T) {
	b := newBudget(10)
	ctx := context.Background()
	require.NoError(t, b.take(ctx, 6))
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, b.take(short, 5), context.DeadlineExceeded, "over the budget: waits, then gives up")

	got := make(chan error, 1)
	go func() { got <- b.take(ctx, 5) }()
	select {
	case err := <-got:
		t.Fatalf("took 5 of 4 left: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	b.give(6)
	require.NoError(t, <-got, "given back: the waiting take goes on")
	assert.Equal(t, int64(5), b.left)
}

// TestFetchHoldsItsBodyAgainstTheBudget: a held body takes its length
// from the process's budget until released, whether its length was known
// (Content-Length) or not (chunked); a download that would go over waits,
// and fails with its context, holding nothing.
func TestFetchHoldsItsBodyAgainstTheBudget(t *testing.T) {
	body := strings.Repeat("x", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.Write([]byte(body[:500]))
			w.(http.Flusher).Flush() // no Content-Length
			w.Write([]byte(body[500:]))
			return
		}
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	ctx := context.Background()
	require.Equal(t, int64(MaxHeld), heldLeft(), "nothing held before")

	for _, path := range []string{"/known", "/chunked"} {
		got, release, err := Runner{}.Fetch(ctx, srv.URL+path)
		require.NoError(t, err)
		assert.Equal(t, body, string(got))
		assert.Equal(t, int64(MaxHeld-1000), heldLeft(), "%s: its length held", path)
		release()
		release() // twice is harmless
		assert.Equal(t, int64(MaxHeld), heldLeft(), "%s: given back", path)
	}

	// Someone holds all but 999 bytes: the next body waits for them.
	require.NoError(t, held.take(ctx, MaxHeld-999))
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, _, err := Runner{}.Fetch(short, srv.URL+"/known")
	require.ErrorContains(t, err, "waiting for memory to hold the body")
	assert.Equal(t, int64(999), heldLeft(), "a failed download holds nothing")

	var wg sync.WaitGroup
	wg.Go(func() {
		out, err := Runner{}.Run(ctx, Spec{Kind: KindFetchHash, URL: srv.URL + "/known", Rounds: 2})
		assert.NoError(t, err)
		assert.Equal(t, int64(1000), out.Bytes)
	})
	time.Sleep(20 * time.Millisecond)
	held.give(MaxHeld - 999)
	wg.Wait()
	assert.Equal(t, int64(MaxHeld), heldLeft(), "the fetch-hash gave its body back")

	// A Download of a fetch-hash holds the body until Release.
	d, err := Runner{}.Download(ctx, Spec{Kind: KindFetchHash, URL: srv.URL + "/known", Rounds: 3})
	require.NoError(t, err)
	require.NotNil(t, d.Rest)
	assert.Equal(t, Spec{Kind: KindHash, Body: []byte(body), Rounds: 3}, *d.Rest)
	assert.Equal(t, int64(MaxHeld-1000), heldLeft())
	d.Release()
	assert.Equal(t, int64(MaxHeld), heldLeft())

	d, err = Runner{}.Download(ctx, Spec{Kind: KindFetch, URL: srv.URL + "/known"})
	require.NoError(t, err)
	assert.Nil(t, d.Rest)
	assert.Equal(t, "1000", d.Output.Value)
	assert.Equal(t, int64(1000), d.Output.Bytes)
	assert.Equal(t, int64(MaxHeld), heldLeft(), "a counted body is never held")
}

// heldLeft returns the bytes of the process's budget not held now.
func heldLeft() int64 {
	held.mu.Lock()
	defer held.mu.Unlock()
	return held.left
}
