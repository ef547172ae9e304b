package cli

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/target"
)

// TestRunAgainstAServerThatNeverAnswers is `lanes run io-download --target
// URL` against a loopback server that accepts and never answers: the run
// ends with an error naming the URL, where it used to hang until killed.
func TestRunAgainstAServerThatNeverAnswers(t *testing.T) {
	hung, err := target.NewHung("")
	require.NoError(t, err)
	t.Cleanup(hung.Close)
	defer func(h, all time.Duration) { fetchHeaderTimeout, fetchTimeout = h, all }(fetchHeaderTimeout, fetchTimeout)
	fetchHeaderTimeout = 300 * time.Millisecond
	url := hung.URL

	done := make(chan error, 1)
	var out, errOut bytes.Buffer
	go func() {
		done <- Run(context.Background(), &out, &errOut, []string{"io-download", "--target", url, "--tasks", "3", "--strategy", "sequential,goroutines"})
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), url)
		assert.Contains(t, err.Error(), "timeout awaiting response headers")
	case <-time.After(30 * time.Second):
		t.Fatal("lanes run waited on a server that never answers")
	}

	// And a server that sends headers, then nothing: the whole download's bound.
	fetchTimeout = 500 * time.Millisecond
	stalled, err := target.NewHung("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nsome")
	require.NoError(t, err)
	t.Cleanup(stalled.Close)
	url2 := stalled.URL + "slow"
	go func() {
		done <- Run(context.Background(), &out, &errOut, []string{"io-download", "--target", url2, "--tasks", "2", "--strategy", "goroutines"})
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "GET "+url2+": timed out after 500ms")
	case <-time.After(30 * time.Second):
		t.Fatal("lanes run waited on a body that never ends")
	}
}
