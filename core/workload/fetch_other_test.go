//go:build !js

package workload_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/target"
	"lanes/core/workload"
)

// targets serves the built-in targets, plus /huge (one byte over
// MaxBody) and /missing (404).
func targets(t *testing.T) (*httptest.Server, workload.Runner) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/t/", target.Handler())
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, workload.MaxBody+1))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, workload.Runner{Client: &http.Client{Transport: tr}}
}

func TestRunnerFetch(t *testing.T) {
	srv, runner := targets(t)
	ctx := context.Background()
	for _, n := range []int{0, 1, 277, 10394} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			url := srv.URL + target.URL("dice", n, 0)
			body, err := runner.Fetch(ctx, url)
			require.NoError(t, err)
			assert.Equal(t, target.Body("dice", n), body)

			out, err := runner.Run(ctx, workload.Spec{Kind: workload.KindFetch, URL: url})
			require.NoError(t, err)
			assert.Equal(t, strconv.Itoa(n), out.Value)
			assert.Equal(t, int64(n), out.Bytes)

			out, err = runner.Run(ctx, workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 3})
			require.NoError(t, err)
			assert.Equal(t, strconv.FormatUint(fnvRepeated(target.Body("dice", n), 3), 10), out.Value)
			assert.Equal(t, int64(n), out.Bytes)
		})
	}
}

func TestRunnerFetchErrors(t *testing.T) {
	srv, runner := targets(t)
	ctx := context.Background()
	cases := []struct {
		name, url, errSubstr string
	}{
		{"status", srv.URL + "/missing", "404"},
		{"failing target", srv.URL + "/t/x?fail=1", "500"},
		{"too long", srv.URL + "/huge", fmt.Sprintf("body longer than %d bytes", workload.MaxBody)},
		{"bad url", "::not a url", "missing protocol scheme"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runner.Fetch(ctx, c.url)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.errSubstr)
			_, err = runner.Run(ctx, workload.Spec{Kind: workload.KindFetchHash, URL: c.url})
			require.Error(t, err)
		})
	}
	t.Run("cancelled during the delay", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := runner.Fetch(ctx, srv.URL+"/t/x?delay=5s")
		require.Error(t, err)
		assert.True(t, strings.Contains(err.Error(), context.Canceled.Error()), err.Error())
	})
}
