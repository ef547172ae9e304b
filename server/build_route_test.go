package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/build"
)

// TestBuildRoutes: the build service's routes are mounted; turned off, it
// says so to the page and refuses builds, and still serves the demos'
// starting code.
func TestBuildRoutes(t *testing.T) {
	srv := newTestServer(t, Config{Build: build.Options{Off: true}})
	resp, body := get(t, srv, "/api/build")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `"enabled":false`)
	assert.Contains(t, body, "--build=off")
	r, err := srv.Client().Post(srv.URL+"/api/build", "application/json", strings.NewReader(`{"source":"package task"}`))
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	resp, body = get(t, srv, "/build/starter/cpu-sumsq.go")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "package task")
	resp, _ = get(t, srv, "/build/0123456789abcdef0123456789abcdef.wasm")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
