package workload

import (
	"context"
	"time"

	"lanes/core/report"
)

// A phaseLog is one piece of work's phases as it goes (Output.Phases),
// timed from its start. The work's context carries it, so that the code
// where a state begins — a request sent, a body read, a loop begun — says
// so with enter, wherever it runs.
type phaseLog struct {
	start  time.Time
	phases []report.Phase
}

type phaseKey struct{}

// logPhases returns ctx carrying a new phase log, started now.
func logPhases(ctx context.Context) (context.Context, *phaseLog) {
	l := &phaseLog{start: time.Now(), phases: make([]report.Phase, 0, 3)}
	return context.WithValue(ctx, phaseKey{}, l), l
}

// enter says that the work whose context is ctx is in state from now on;
// the first state it enters is taken to begin with the work, at 0.
// Without a phase log in ctx (a download called on its own) it does
// nothing.
func enter(ctx context.Context, state string) {
	if l, ok := ctx.Value(phaseKey{}).(*phaseLog); ok {
		ms := 0.0
		if len(l.phases) > 0 {
			ms = report.MsSince(l.start)
		}
		l.phases = report.Enter(l.phases, state, ms)
	}
}

// done ends the phase under way now and returns the phases.
func (l *phaseLog) done() []report.Phase {
	report.EndPhases(l.phases, report.MsSince(l.start))
	return l.phases
}
