package report_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"lanes/core/report"
)

func TestTotal(t *testing.T) {
	big := "340282366920938463463374607431768211455"
	cases := []struct {
		name    string
		tasks   []report.Task
		stop    error
		result  string
		partial bool
		err     string
	}{
		{"all whole, beyond 64 bits", []report.Task{{ID: 0, Value: big}, {ID: 1, Value: "1"}}, nil,
			"340282366920938463463374607431768211456", false, ""},
		{"none", nil, nil, "0", false, ""},
		{"stopped", []report.Task{{ID: 0, Value: "5"}, {ID: 1, Error: report.NotStarted(context.Canceled)}}, context.Canceled,
			"5", true, ""},
		{"a failure", []report.Task{{ID: 0, Value: "5"}, {ID: 1, Error: "boom"}, {ID: 2, Error: "bang"}}, nil,
			"5", true, "2 of 3 tasks failed; first: task 1: boom"},
		{"a failure while stopped", []report.Task{{ID: 0, Error: "context canceled"}, {ID: 1, Error: "boom"}}, context.Canceled,
			"0", true, "2 of 2 tasks failed; first: task 1: boom"},
		{"no value", []report.Task{{ID: 0}}, nil, "0", true, "1 of 1 tasks failed; first: task 0: no value"},
		{"a value that is no number", []report.Task{{ID: 0, Value: "5"}, {ID: 1, Value: "five"}}, nil, "", false, ""},
		{"no number, and a failure", []report.Task{{ID: 0, Value: "x"}, {ID: 1, Error: "boom"}}, nil,
			"", true, "1 of 2 tasks failed; first: task 1: boom"},
		{"a signed sum", []report.Task{{ID: 0, Value: "-7"}, {ID: 1, Value: "+2"}}, nil, "-5", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := report.Run{Tasks: c.tasks}
			run.Total(c.stop)
			assert.Equal(t, c.result, run.Result)
			assert.Equal(t, c.partial, run.Partial)
			assert.Equal(t, c.err, run.Error)
		})
	}
}

func TestCut(t *testing.T) {
	delivered := []report.Task{{ID: 2, Lane: 0, EndMs: 3, Value: "7"}}
	run := report.Cut("pool", 2, 3, delivered, 10, context.Canceled)
	assert.Equal(t, "7", run.Result)
	assert.True(t, run.Partial)
	assert.Empty(t, run.Error, "being stopped is no error")
	assert.Equal(t, 2, run.Lanes)
	assert.Len(t, run.Tasks, 3)
	for _, task := range run.Tasks[1:] {
		assert.Equal(t, -1, task.Lane)
		assert.Equal(t, 10.0, task.StartMs)
		assert.Equal(t, "not started: context canceled", task.Error)
	}

	run = report.Cut("pool", 2, 1, nil, 10, errors.New("the coordinator died"))
	assert.Equal(t, "the coordinator died", run.Error)
	assert.Equal(t, "not started: the coordinator died", run.Tasks[0].Error)
	assert.Equal(t, "not started: run ended", report.NotStarted(nil))
}
