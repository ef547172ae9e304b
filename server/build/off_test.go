package build_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/build"
)

// TestOffSaysWhy: a service turned off, or without a toolchain, says so
// to the page (the editor is read-only) and answers a build 503.
func TestOffSaysWhy(t *testing.T) {
	cases := []struct {
		name  string
		opt   build.Options
		path  string // PATH while the service starts
		state string
		says  string
	}{
		{"turned off", build.Options{Off: true}, "", build.StateOff, "--build=off"},
		{"no toolchain", build.Options{}, t.TempDir(), build.StateOff, "no Go toolchain: the go command is not in PATH; install Go"},
		{"a broken toolchain", build.Options{Go: "/nonexistent/go"}, "", build.StateOff, "/nonexistent/go"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.path != "" {
				t.Setenv("PATH", c.path)
			}
			c.opt.Dir = t.TempDir()
			s := build.New(c.opt)
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			assert.Equal(t, c.state, s.Ready(ctx))
			cap := capability(t, s)
			assert.False(t, cap.Enabled)
			assert.Equal(t, c.state, cap.State)
			assert.Contains(t, cap.Reason, c.says)
			assert.NotEmpty(t, cap.Starters, "the editor still shows the demos' code, read-only")
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			r := post(t, srv, "package task")
			assert.Equal(t, http.StatusServiceUnavailable, r.status)
			assert.Contains(t, r.Error, c.says)
		})
	}
}

// TestStartsOnFirstUse: a service nobody asked for does nothing.
func TestStartsOnFirstUse(t *testing.T) {
	s := build.New(build.Options{Dir: t.TempDir(), Go: "/nonexistent/go"})
	require.NoError(t, s.Close())
	cap := capability(t, s)
	assert.Equal(t, build.StateIdle, cap.State, "closed before it started: it never will")
}

// TestAbandoned: a build whose request is cancelled (the client went
// away, the server is stopping) is logged as abandoned, not as the
// server's failure, and still answered with a refusal, never an empty 200.
func TestAbandoned(t *testing.T) {
	var log bytes.Buffer
	s := build.New(build.Options{Dir: t.TempDir(), Go: "/nonexistent/go", Log: slog.New(slog.NewTextHandler(&log, nil))})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", "/api/build", strings.NewReader(`{"source":"package task"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Contains(t, w.Body.String(), `"error":"the build was stopped`)
	s.Close() // its start, which logs that it found no toolchain, has ended: the log is the test's to read
	assert.Contains(t, log.String(), "level=INFO msg=\"build abandoned\"")
	assert.NotContains(t, log.String(), "level=ERROR")
}
