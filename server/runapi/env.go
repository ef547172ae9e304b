package runapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"lanes/core/report"
	"net/http"
	"os/exec"
	"strings"
	"time"

	"lanes/core/remote"
	"lanes/core/target"
	"lanes/core/workload"
)

// TargetHost is the made-up host under which runs reach the built-in
// targets. It is never resolved or dialled: the runs' HTTP client serves it
// in-process, and refuses every other host, so a run cannot make the server
// fetch anything, itself included.
const TargetHost = "lanes.internal"

// TargetBase is the base URL of the built-in targets in a run.
const TargetBase = "http://" + TargetHost

// inProcess is a RoundTripper that answers requests for TargetBase/t/...
// by calling the targets' handler, and refuses everything else.
type inProcess struct{ h http.Handler }

// ErrNotBuiltIn is the error for a fetch of anything but a built-in target.
var ErrNotBuiltIn = errors.New("runapi: the server's runs fetch only its built-in targets, " + TargetBase + "/t/NAME")

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	if req.URL.Scheme != "http" || req.URL.Host != TargetHost || !strings.HasPrefix(req.URL.Path, "/t/") {
		return nil, ErrNotBuiltIn
	}
	rec := &recorder{header: http.Header{}}
	t.h.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rec.code, http.StatusText(rec.code)),
		StatusCode:    rec.code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the ResponseWriter of an in-process request.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// runner returns the workload runner of the server's runs: downloads go to
// the built-in targets, in-process, and nowhere else.
func runner() workload.Runner {
	return workload.Runner{Client: workload.HTTP(&http.Client{
		Transport: inProcess{target.Handler()},
		Timeout:   target.MaxDelay + 5*time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("runapi: no redirects")
		},
	})}
}

// ioPool wraps the worker processes so that they never download: a spec
// that starts with a download has it made here, by the in-process runner,
// and only its CPU part (a hash of the body) goes to the worker, as the
// body would be shipped to a process pool. Plain downloads finish here.
type ioPool struct {
	remote.Pool
	runner workload.Runner
}

func (p ioPool) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	start := time.Now()
	ms := func() float64 { return report.MsSince(start) }
	results := make([]remote.Result, len(specs))
	var send []workload.Spec
	var at []int // results index of each spec sent
	for i, s := range specs {
		if !s.IO() {
			send, at = append(send, s), append(at, i)
			continue
		}
		r := &results[i]
		r.StartMs = ms()
		d, err := p.runner.Download(ctx, s) // a body to hash is shipped to the worker
		defer d.Release()
		r.EndMs = ms()
		r.Output = d.Output
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Error = err.Error()
		case d.Rest != nil:
			send, at = append(send, *d.Rest), append(at, i)
		}
	}
	if len(send) == 0 {
		return results, nil
	}
	sent := ms()
	got, err := p.Pool.Do(ctx, lane, send)
	if err != nil {
		return nil, err
	}
	remote.Place(got, sent, ms())
	for j, i := range at {
		g := got[j]
		if specs[i].IO() { // the download's time, then the hash's
			g.StartMs = results[i].StartMs
			g.Output.Bytes = results[i].Output.Bytes
		}
		results[i] = g
	}
	return results, nil
}

// procPool lends k worker processes, started by command, for one run
// (remote.LendProcs), behind an ioPool.
func procPool(run workload.Runner, command func() *exec.Cmd) func(k int) (remote.Pool, func(), error) {
	lend := remote.LendProcs(command)
	return func(k int) (remote.Pool, func(), error) {
		p, release, err := lend(k)
		return ioPool{Pool: p, runner: run}, release, err
	}
}
