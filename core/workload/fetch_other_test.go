//go:build !js

package workload_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/report"
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
	return srv, workload.Runner{Client: workload.HTTP(&http.Client{Transport: tr})}
}

func TestRunnerFetch(t *testing.T) {
	srv, runner := targets(t)
	ctx := context.Background()
	for _, n := range []int{0, 1, 277, 10394} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			url := srv.URL + target.URL("dice", n, 0)
			body, release, err := runner.Fetch(ctx, url)
			defer release()
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
			_, _, err := runner.Fetch(ctx, c.url)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.errSubstr)
			_, err = runner.Run(ctx, workload.Spec{Kind: workload.KindFetchHash, URL: c.url})
			require.Error(t, err)
		})
	}
	t.Run("cancelled during the delay", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		_, _, err := runner.Fetch(ctx, srv.URL+"/t/x?delay=5s")
		require.Error(t, err)
		assert.True(t, strings.Contains(err.Error(), context.Canceled.Error()), err.Error())
	})
}

// silent is a loopback server that accepts connections and never
// answers, like a hung server.
func silent(t *testing.T) string {
	t.Helper()
	h, err := target.NewHung("")
	require.NoError(t, err)
	t.Cleanup(h.Close)
	return h.URL + "page"
}

// TestFetchFromAServerThatNeverAnswers: every kind of download gives up at
// the Runner's bound, with an error naming the URL, instead of waiting
// forever.
func TestFetchFromAServerThatNeverAnswers(t *testing.T) {
	url := silent(t)
	runner := workload.Runner{Timeout: 300 * time.Millisecond}
	for _, spec := range []workload.Spec{
		{Kind: workload.KindFetch, URL: url},
		{Kind: workload.KindFetchHash, URL: url, Rounds: 1},
		{Kind: workload.KindFetchHash, URL: url, Rounds: 5},
	} {
		t.Run(fmt.Sprintf("%s/%d", spec.Kind, spec.Rounds), func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := runner.Run(context.Background(), spec)
				done <- err
			}()
			select {
			case err := <-done:
				require.Error(t, err)
				assert.Contains(t, err.Error(), "GET "+url+": timed out after 300ms")
			case <-time.After(20 * time.Second):
				t.Fatal("the download waited on after its bound")
			}
		})
	}
}

// TestFetchBodyTimeoutNamesTheURL: a body that stops coming is cut at the
// bound too, and the error says which URL.
func TestFetchBodyTimeoutNamesTheURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("half"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	runner := workload.Runner{Timeout: 300 * time.Millisecond}
	_, err := runner.Count(context.Background(), srv.URL+"/drip")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GET "+srv.URL+"/drip: reading the body: GET "+srv.URL+"/drip: timed out")
	_, _, err = runner.Fetch(context.Background(), srv.URL+"/drip")
	assert.ErrorContains(t, err, "timed out after 300ms")
}

// TestDownloadsDoNotHoldBodies downloads a large local body 100 times, 10
// at once, as the io-download demo does: the bytes are counted as they
// stream, so what the downloads allocate in all is a small fraction of
// what holding the bodies took (100 bodies, and io.ReadAll's doublings).
func TestDownloadsDoNotHoldBodies(t *testing.T) {
	const size, downloads = 4 << 20, 100
	chunk := bytes.Repeat([]byte("lanes "), 1<<12)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(size))
		for left := size; left > 0; left -= len(chunk) {
			w.Write(chunk[:min(left, len(chunk))])
		}
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 10}
	t.Cleanup(tr.CloseIdleConnections)
	runner := workload.Runner{Client: workload.HTTP(&http.Client{Transport: tr})}
	measure := func(spec workload.Spec) (total, peak uint64) {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := make(chan struct{})
		sampled := make(chan uint64)
		go func() { // the heap's high-water mark, roughly
			var most uint64
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				most = max(most, m.HeapInuse)
				select {
				case <-stop:
					sampled <- most
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		var wg sync.WaitGroup
		sem := make(chan struct{}, 10)
		for range downloads {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				out, err := runner.Run(context.Background(), spec)
				assert.NoError(t, err)
				assert.Equal(t, int64(size), out.Bytes)
			})
		}
		wg.Wait()
		close(stop)
		peak = <-sampled
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, peak - min(peak, before.HeapInuse)
	}
	total, peak := measure(workload.Spec{Kind: workload.KindFetch, URL: srv.URL})
	t.Logf("%d downloads of %d bytes: %d MB allocated, heap peak +%d MB", downloads, size, total>>20, peak>>20)
	assert.Less(t, total, uint64(downloads*size/10), "the downloads held their bodies")
	total, peak = measure(workload.Spec{Kind: workload.KindFetchHash, URL: srv.URL, Rounds: 1})
	t.Logf("and hashed in one round: %d MB allocated, heap peak +%d MB", total>>20, peak>>20)
	assert.Less(t, total, uint64(downloads*size/10), "the one-round hashes held their bodies")
}

// TestDownloadsRecordPhases: a download waits on I/O until the response's
// headers (the target's delay), then transfers the body; a fetch-hash of
// several rounds then computes. A failed request waited all the same.
func TestDownloadsRecordPhases(t *testing.T) {
	srv, runner := targets(t)
	const io, tr, c = report.StateIOWait, report.StateTransfer, report.StateCompute
	url := srv.URL + target.URL("dice", 10394, 60*time.Millisecond)
	cases := []struct {
		name   string
		spec   workload.Spec
		states []string
	}{
		{"a fetch", workload.Spec{Kind: workload.KindFetch, URL: url}, []string{io, tr}},
		{"a fetch-hash of one round hashes as it reads", workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 1}, []string{io, tr}},
		{"a fetch-hash of many rounds", workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 50}, []string{io, tr, c}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner.Run(context.Background(), tc.spec)
			require.NoError(t, err)
			assert.Equal(t, tc.states, states(t, out.Phases))
			assert.GreaterOrEqual(t, stateMs(out.Phases, io), 55.0, "the target's delay comes before its headers")
			assert.Less(t, stateMs(out.Phases, io), out.Phases[len(out.Phases)-1].EndMs, "and the rest after")
		})
	}
	t.Run("the download stage alone", func(t *testing.T) {
		d, err := runner.Download(context.Background(), workload.Spec{Kind: workload.KindFetchHash, URL: url, Rounds: 50})
		require.NoError(t, err)
		defer d.Release()
		assert.Equal(t, []string{io, tr}, states(t, d.Output.Phases))
	})
	t.Run("a refused request", func(t *testing.T) {
		out, err := runner.Run(context.Background(), workload.Spec{Kind: workload.KindFetch, URL: "http://127.0.0.1:1/"})
		require.Error(t, err)
		assert.Equal(t, []string{io}, states(t, out.Phases))
	})
}
