package build_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/protocol"
	"lanes/core/remote"
	"lanes/core/report"
)

// TestModuleRunsInNode runs a built module as the page's CPU worker does,
// in Node: it answers "do" with the task's values and "run" with a whole
// strategy's run, exact.
func TestModuleRunsInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the built module here: install Node 20 or later (apt-get install -y nodejs)")
	_, srv := service(t)
	r := post(t, srv, readFile(t, "testdata/sumsq.go"))
	require.Equal(t, http.StatusOK, r.status, r.Error)
	dir := t.TempDir()
	for name, path := range map[string]string{"task.wasm": r.Wasm, "wasm_exec.js": r.Exec} {
		resp, body := get(t, srv, path)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), body, 0o644))
	}
	calls := []protocol.Message{
		{Type: protocol.ExportDo, ID: 1, Body: json.RawMessage(`{"id":7,"specs":[{"kind":"task","i":0,"n":3},{"kind":"task","i":1,"n":3},{"kind":"task","i":2,"n":3}]}`)},
		{Type: protocol.ExportRun, ID: 2, Body: json.RawMessage(`{"values":{"demo":"task","tasks":"4"},"strategy":"goroutines","target_base":""}`)},
		{Type: protocol.ExportRun, ID: 3, Body: json.RawMessage(`{"values":{"demo":"cpu-sumsq"},"strategy":"magic","target_base":""}`)},
	}
	arg, err := json.Marshal(calls)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/worker.js", filepath.Join(dir, "wasm_exec.js"), filepath.Join(dir, "task.wasm"), string(arg))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "stderr: %s\nstdout: %s", stderr.String(), out)

	answers := map[uint64]protocol.Message{}
	events := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m protocol.Message
		if json.Unmarshal(sc.Bytes(), &m) != nil || m.Type == "" {
			continue // what Go printed
		}
		switch m.Type {
		case protocol.TypeEvent, protocol.TypeEvents:
			bodies, err := protocol.Events(m)
			require.NoError(t, err)
			events += len(bodies)
		case protocol.TypeResult, protocol.TypeError:
			_, twice := answers[m.ID]
			assert.False(t, twice, "call %d answered twice", m.ID)
			answers[m.ID] = m
		}
	}
	require.Len(t, answers, 3, "%s", out)

	require.Equal(t, protocol.TypeResult, answers[1].Type, answers[1].Error)
	var resp remote.Response
	require.NoError(t, json.Unmarshal(answers[1].Body, &resp))
	assert.EqualValues(t, 7, resp.ID)
	require.Len(t, resp.Results, 3)
	for i, res := range resp.Results {
		assert.Empty(t, res.Error)
		assert.Equal(t, sumSquares(1_000_000*int64(i)/3, 1_000_000*int64(i+1)/3), res.Output.Value, "task %d", i)
	}

	require.Equal(t, protocol.TypeResult, answers[2].Type, answers[2].Error)
	var run report.Run
	require.NoError(t, json.Unmarshal(answers[2].Body, &run))
	assert.Equal(t, "goroutines", run.Strategy)
	assert.Equal(t, sumSquares(0, 1_000_000), run.Result)
	assert.False(t, run.Partial)
	assert.Equal(t, 4, events, "one task event for each task of the run")

	assert.Equal(t, protocol.TypeError, answers[3].Type)
	assert.Contains(t, answers[3].Error, `strategy "magic"`)
}

// sumSquares is Σ k² for lo ≤ k < hi by the closed form.
func sumSquares(lo, hi int64) string {
	below := func(n int64) *big.Int {
		b := big.NewInt(n)
		r := new(big.Int).Mul(b, big.NewInt(n-1))
		r.Mul(r, big.NewInt(2*n-1))
		return r.Quo(r, big.NewInt(6))
	}
	return new(big.Int).Sub(below(hi), below(lo)).String()
}
