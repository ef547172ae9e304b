package runapi

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"lanes/core/demo"
	"lanes/core/target"
)

// Caps are the server's own limits on the work of one run, tighter than
// the demos' bounds: a public server should not lend a minute of every core
// to whoever asks. Options with zero Caps use DefaultCaps.
type Caps struct {
	Tasks       int              // tasks of any demo
	Workers     int              // lanes, and so worker processes
	Runs        int              // repeats of each strategy
	Latency     time.Duration    // target delay
	TargetBytes int              // the body of a target given in the request
	Size        map[string]int64 // the size parameter, per demo
}

// DefaultCaps fit a 2-core machine: each run a few seconds at most.
var DefaultCaps = Caps{
	Tasks:       256,
	Workers:     4,
	Runs:        5,
	Latency:     2 * time.Second,
	TargetBytes: 256 << 10,
	Size: map[string]int64{
		"cpu-sumsq":  1_000_000_000,
		"cpu-primes": 1_000_000_000,
		"skew":       1_000_000_000,
		"cancel":     4_000_000_000,
		"pipeline":   5_000,
		"race":       1_000_000,
	},
}

// check returns an error naming the first value of cfg over the caps, or
// a target that is not a built-in one.
func (c Caps) check(cfg demo.Config, deadline time.Duration) error {
	over := func(name string, v, most any) error {
		return fmt.Errorf("%s=%v: this server runs at most %v", name, v, most)
	}
	switch {
	case cfg.Tasks > c.Tasks:
		return over("tasks", cfg.Tasks, c.Tasks)
	case cfg.K > c.Workers:
		return over("workers", cfg.K, c.Workers)
	case c.Runs > 0 && cfg.Runs > c.Runs:
		return over("runs", cfg.Runs, c.Runs)
	case cfg.Latency > c.Latency:
		return over("latency", cfg.Latency, c.Latency)
	case cfg.Timeout > deadline:
		return over("timeout", cfg.Timeout, deadline)
	}
	if most, ok := c.Size[cfg.Demo]; ok && cfg.Size > most {
		return over("size", cfg.Size, most)
	}
	for _, t := range cfg.Targets {
		if err := c.checkTarget(t); err != nil {
			return err
		}
	}
	return nil
}

// checkTarget accepts only built-in targets, of at most TargetBytes bytes
// and Latency delay: every task of a run may download one at once.
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
	if p.Delay+p.Jitter > c.Latency {
		return fmt.Errorf("target=%q: delay+jitter=%v: this server waits at most %v", raw, p.Delay+p.Jitter, c.Latency)
	}
	return nil
}
