package runapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCheckTargetUnparsable gives checkTarget URLs that url.Parse rejects:
// each is refused with the usual message, none panics.
func TestCheckTargetUnparsable(t *testing.T) {
	for _, raw := range []string{
		"::not a url",
		"http://lanes.internal/t/a%zz",
		"http://[::1/t/a",
		"http://lanes.internal:port/t/a",
		"http://lanes.internal/t/a\x7f",
	} {
		t.Run(raw, func(t *testing.T) {
			var err error
			assert.NotPanics(t, func() { err = DefaultCaps.checkTarget(raw) })
			assert.ErrorContains(t, err, "only its built-in targets")
		})
	}
}
