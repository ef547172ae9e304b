package protocol

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWorkerScriptMirrorsTheProtocol reads site/static/worker.js: every
// message type it takes or sends is one of the protocol's, spelled alike,
// and every one of them is there.
func TestWorkerScriptMirrorsTheProtocol(t *testing.T) {
	js, err := os.ReadFile("../../site/static/worker.js")
	require.NoError(t, err)
	types := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:type === |type: |\\?"type\\?":\s*\\?)"(\w+)\\?"`).FindAllStringSubmatch(string(js), -1) {
		types[m[1]] = true
	}
	want := map[string]bool{ScriptInit: true, ScriptClose: true, ScriptFail: true, ScriptReady: true, ScriptExit: true, ScriptCrash: true}
	assert.Equal(t, want, types, "the message types worker.js spells")
	roles := regexp.MustCompile(`d\.role \|\| "(\w+)"`).FindStringSubmatch(string(js))
	require.NotNil(t, roles, "worker.js's default role")
	assert.Equal(t, RoleCPU, roles[1])
}
