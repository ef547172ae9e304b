package runapi

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
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

// TestKnobsReachableFromTheAPI: each demo's every knob is read from a
// body, as a number or a string, and passes the caps at a value other
// than its default; one over its server's cap is refused with the cap.
func TestKnobsReachableFromTheAPI(t *testing.T) {
	for _, d := range demo.All() {
		assert.NoError(t, DefaultCaps.check(d.Defaults(), DefaultDeadline), "%s at its defaults", d.ID)
		for _, p := range d.Params {
			t.Run(d.ID+"/"+p.Name, func(t *testing.T) {
				want := underCap(p)
				for _, v := range []string{strconv.FormatInt(want, 10), strconv.Quote(p.Format(want))} {
					values, err := parseBody(strings.NewReader(`{"demo": "` + d.ID + `", "` + p.Name + `": ` + v + `}`))
					require.NoError(t, err)
					cfg, err := demo.Parse(values)
					require.NoError(t, err)
					assert.Equal(t, want, cfg.Value(p))
					assert.NoError(t, DefaultCaps.check(cfg, DefaultDeadline))
				}
				if most := p.ServerMax; most > 0 && most < p.Max && p.Name != demo.KnobTimeout {
					cfg, err := demo.Parse(map[string]string{"demo": d.ID, p.Name: p.Format(most + 1)})
					require.NoError(t, err)
					assert.EqualError(t, DefaultCaps.check(cfg, DefaultDeadline),
						p.Name+"="+p.Format(most+1)+": this server runs at most "+p.Format(most))
				}
			})
		}
	}
}

// underCap is a value of p other than its default that a server runs.
func underCap(p demo.Param) int64 {
	most := p.Max
	if p.ServerMax > 0 {
		most = min(most, p.ServerMax)
	}
	if p.Default < most {
		return p.Default + 1
	}
	return p.Default - 1
}
