package demo_test

import (
	"context"
	"sync"
	"testing"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/workload"
)

// localPool stands in for the browser's Web Workers: its lanes run
// requests in this Go instance with remote.Handle, the code a worker runs.
type localPool struct {
	lanes []sync.Mutex
}

func (p *localPool) Size() int { return len(p.lanes) }

func (p *localPool) Do(ctx context.Context, lane int, specs []workload.Spec) ([]remote.Result, error) {
	p.lanes[lane].Lock()
	defer p.lanes[lane].Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp := remote.Handle(ctx, workload.Runner{}, remote.Request{Specs: specs})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return resp.Results, nil
}

func (p *localPool) Close() error { return nil }

// newEnv is a browser-like environment: no targets served, and remote lanes
// in this instance.
func newEnv(t *testing.T) demo.Env {
	return demo.Env{
		Platform: report.Here("browser"),
		Remote: func(k int) (remote.Pool, func(), error) {
			return &localPool{lanes: make([]sync.Mutex, k)}, func() {}, nil
		},
	}
}
