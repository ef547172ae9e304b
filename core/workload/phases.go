package workload

import (
	"context"
	"time"

	"lanes/core/report"
)

// Phases records one piece of work's phases as it goes (Output.Phases),
// timed from its start. Runner.Run and Runner.Download keep one in the
// work's context, so that the code where a state begins — a request sent,
// a body read, a loop begun — says so wherever it runs; work of its own (a
// demo's Do function) keeps its own. It is not safe for concurrent use.
type Phases struct {
	start time.Time
	list  []report.Phase
	room  [3]report.Phase // list's first home: most work has three phases or fewer
}

// StartPhases starts a record of phases now, with no phase yet.
func StartPhases() *Phases {
	p := &Phases{start: time.Now()}
	p.list = p.room[:0]
	return p
}

// Enter records that the work is in state from now on; the first state
// entered is taken to begin with the work, at 0.
func (p *Phases) Enter(state string) {
	ms := 0.0
	if len(p.list) > 0 {
		ms = report.MsSince(p.start)
	}
	p.list = report.Enter(p.list, state, ms)
}

// Spent records that, of the time until now, the last d went to state,
// and that the work is back in the state it was in: for waits too short
// and many to record one by one, summed and recorded together.
func (p *Phases) Spent(state string, d time.Duration) {
	if d <= 0 || len(p.list) == 0 {
		return
	}
	back := p.list[len(p.list)-1].State
	now := report.MsSince(p.start)
	p.list = report.Enter(p.list, state, now-report.Ms(d))
	p.list = report.Enter(p.list, back, now)
}

// Done ends the phase under way now and returns the phases.
func (p *Phases) Done() []report.Phase {
	report.EndPhases(p.list, report.MsSince(p.start))
	return p.list
}

type phasesKey struct{}

// withPhases returns ctx carrying a new record of phases, started now.
func withPhases(ctx context.Context) (context.Context, *Phases) {
	p := StartPhases()
	return context.WithValue(ctx, phasesKey{}, p), p
}

// enter records that the work whose context is ctx is in state from now
// on. Without a record in ctx (a download called on its own) it does
// nothing.
func enter(ctx context.Context, state string) {
	if p, ok := ctx.Value(phasesKey{}).(*Phases); ok {
		p.Enter(state)
	}
}
