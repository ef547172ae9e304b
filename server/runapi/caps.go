package runapi

import (
	"fmt"
	"strings"
	"time"

	"lanes/core/demo"
)

// Caps are the server's own limits on the work of one run, tighter than
// the demos' bounds: a public server should not lend a minute of every core
// to whoever asks. Zero fields take the defaults.
type Caps struct {
	Tasks   int              // tasks of any demo
	Workers int              // lanes, and so worker processes
	Latency time.Duration    // target delay
	Size    map[string]int64 // the size parameter, per demo
	Targets bool             // allow user target URLs (always built-in ones only)
	_       struct{}         // keep the literal keyed
}

// DefaultCaps fit a 2-core machine: each run a few seconds at most.
var DefaultCaps = Caps{
	Tasks:   256,
	Workers: 4,
	Latency: 2 * time.Second,
	Size: map[string]int64{
		"cpu-sumsq":  1_000_000_000,
		"cpu-primes": 200_000_000,
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
	case cfg.Workers > c.Workers:
		return over("workers", cfg.Workers, c.Workers)
	case cfg.Latency > c.Latency:
		return over("latency", cfg.Latency, c.Latency)
	case cfg.Timeout > deadline:
		return over("timeout", cfg.Timeout, deadline)
	}
	if most, ok := c.Size[cfg.Demo]; ok && cfg.Size > most {
		return over("size", cfg.Size, most)
	}
	for _, t := range cfg.Targets {
		if !strings.HasPrefix(t, TargetBase+"/t/") {
			return fmt.Errorf("target=%q: this server fetches only its built-in targets, %s/t/NAME", t, TargetBase)
		}
	}
	return nil
}
