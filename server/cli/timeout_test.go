package cli

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunAgainstAServerThatNeverAnswers is `lanes run io-download --target
// URL` against a loopback server that accepts and never answers: the run
// ends with an error naming the URL, where it used to hang until killed.
func TestRunAgainstAServerThatNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	defer func(h, all time.Duration) { fetchHeaderTimeout, fetchTimeout = h, all }(fetchHeaderTimeout, fetchTimeout)
	fetchHeaderTimeout = 300 * time.Millisecond
	url := "http://" + ln.Addr().String() + "/"

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
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln2.Close() })
	go func() {
		for {
			c, err := ln2.Accept()
			if err != nil {
				return
			}
			// Answer only once the request came: a response sent before
			// it is one the client may take for a stray and drop.
			go func() {
				http.ReadRequest(bufio.NewReader(c))
				c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nsome"))
			}()
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	url2 := "http://" + ln2.Addr().String() + "/slow"
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
