package runapi

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"lanes/core/demo"
	"lanes/core/target"
)

// Caps are the server's own limits on the work of one run, beyond each
// knob's demo.Param.ServerMax (tasks, workers, size, latency, runs and
// timeout, from the one table demo.Knobs): a public server should not lend
// a minute of every core to whoever asks. Options with zero Caps use
// DefaultCaps.
type Caps struct {
	TargetBytes int // the body of a target given in the request
}

// DefaultCaps fit a 2-core machine: each run a few seconds at most.
var DefaultCaps = Caps{TargetBytes: 256 << 10}

// check returns an error naming the first knob of cfg over the server's
// cap — its ServerMax, and for the timeout the run's deadline — or a
// target that is not a built-in one.
func (c Caps) check(cfg demo.Config, deadline time.Duration) error {
	d, err := demo.Lookup(cfg.Demo)
	if err != nil {
		return err
	}
	for _, p := range d.Params {
		most := p.ServerMax
		if p.Name == demo.KnobTimeout {
			most = deadline.Milliseconds()
		}
		if v := cfg.Value(p); most > 0 && v > most {
			return fmt.Errorf("%s=%s: this server runs at most %s", p.Name, p.Format(v), p.Format(most))
		}
	}
	for _, t := range cfg.Targets {
		if err := c.checkTarget(t); err != nil {
			return err
		}
	}
	return nil
}

// latencyCap is the longest delay the server lets a target take: the
// latency knob's ServerMax.
func latencyCap() time.Duration {
	k, _ := demo.LookupKnob(demo.KnobLatency)
	return time.Duration(k.ServerMax) * time.Millisecond
}

// checkTarget accepts only built-in targets, of at most TargetBytes bytes
// and latencyCap delay: every task of a run may download one at once.
func (c Caps) checkTarget(raw string) error {
	refused := fmt.Errorf("target=%q: this server fetches only its built-in targets, %s/t/NAME", raw, TargetBase)
	u, err := url.Parse(raw)
	if err != nil {
		return refused
	}
	name, ok := strings.CutPrefix(u.EscapedPath(), "/t/")
	if u.Scheme != "http" || u.Host != TargetHost || u.User != nil || !ok {
		return refused
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fmt.Errorf("target=%q: malformed query", raw)
	}
	p, err := target.Parse(name, q)
	if err != nil {
		return fmt.Errorf("target=%q: %v", raw, err)
	}
	if p.Bytes > c.TargetBytes {
		return fmt.Errorf("target=%q: bytes=%d: this server serves at most %d to a run", raw, p.Bytes, c.TargetBytes)
	}
	if most := latencyCap(); p.Delay+p.Jitter > most {
		return fmt.Errorf("target=%q: delay+jitter=%v: this server waits at most %v", raw, p.Delay+p.Jitter, most)
	}
	return nil
}
