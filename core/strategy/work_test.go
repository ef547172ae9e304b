package strategy

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
	"lanes/core/workload"
)

func TestWorkOf(t *testing.T) {
	spec := func(k workload.Kind) Task { return Task{Spec: workload.Spec{Kind: k}} }
	cases := []struct {
		name  string
		tasks []Task
		want  string
	}{
		{"none", nil, report.WorkCPU},
		{"sums", []Task{spec(workload.KindSumSquares), spec(workload.KindPrimes)}, report.WorkCPU},
		{"downloads", []Task{spec(workload.KindFetch), spec(workload.KindFetch)}, report.WorkFetch},
		{"downloads to hash", []Task{spec(workload.KindFetchHash)}, report.WorkFetchCPU},
		{"waits", []Task{spec(workload.KindWait)}, report.WorkWait},
		{"a mix counts as CPU", []Task{spec(workload.KindFetch), spec(workload.KindWait)}, report.WorkCPU},
		{"a sum among downloads", []Task{spec(workload.KindFetch), spec(workload.KindSumSquares)}, report.WorkCPU},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, workOf(c.tasks)) })
	}
}
