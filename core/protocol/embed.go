package protocol

import (
	"encoding/json"
	"fmt"

	"lanes/core/demo"
	"lanes/core/report"
)

// Source marks every message of the embed protocol, both ways.
const Source = "lanes"

// The types of the messages Lanes posts to the embedding page.
const (
	TypeReady    = "ready"
	TypeProgress = "progress"
	TypeReport   = "report"
	TypeResize   = "resize"
	// TypeError is also the worker protocol's error answer.
)

// The types of the messages the embedding page posts to Lanes.
const (
	TypeRun  = "run"
	TypeStop = "stop"
)

// An Outbound is a message Lanes posts to the embedding page; build one
// with Ready, Progress, Report, Resize or Failure.
type Outbound struct {
	Source  string         `json:"source"`
	Type    string         `json:"type"`
	Done    *int           `json:"done,omitempty"`
	Total   *int           `json:"total,omitempty"`
	Report  *report.Report `json:"report,omitempty"`
	Height  *int           `json:"height,omitempty"`
	Message string         `json:"message,omitempty"`
}

// Ready says the embed is ready for run messages.
func Ready() Outbound { return Outbound{Source: Source, Type: TypeReady} }

// Progress says done of total tasks have been delivered.
func Progress(done, total int) Outbound {
	return Outbound{Source: Source, Type: TypeProgress, Done: &done, Total: &total}
}

// Report carries the finished report.
func Report(rep *report.Report) Outbound {
	return Outbound{Source: Source, Type: TypeReport, Report: rep}
}

// Resize says the embed's content is height CSS pixels tall.
func Resize(height int) Outbound {
	return Outbound{Source: Source, Type: TypeResize, Height: &height}
}

// Failure says what went wrong: a malformed message, a run that could not
// start, workers that could not start.
func Failure(message string) Outbound {
	return Outbound{Source: Source, Type: TypeError, Message: message}
}

// An Inbound is a message from the embedding page.
type Inbound struct {
	Source string                     `json:"source"`
	Type   string                     `json:"type"`
	Params map[string]json.RawMessage `json:"params"`
}

// ParseInbound checks a message's shape and turns run's params into the
// name=value pairs demo.Parse reads.
func ParseInbound(text string) (Inbound, map[string]string, error) {
	var msg Inbound
	if text == "" || json.Unmarshal([]byte(text), &msg) != nil {
		return msg, nil, fmt.Errorf(`malformed message: want an object {source: "lanes", type: "run" or "stop", params}`)
	}
	if msg.Source != Source {
		return msg, nil, fmt.Errorf(`malformed message: source %q, want "lanes"`, msg.Source)
	}
	switch msg.Type {
	case TypeStop:
		return msg, nil, nil
	case TypeRun:
	default:
		return msg, nil, fmt.Errorf(`malformed message: type %q, want "run" or "stop"`, msg.Type)
	}
	values := map[string]string{}
	for k, raw := range msg.Params {
		v, ok := demo.ParamText(raw)
		if !ok {
			return msg, nil, fmt.Errorf("malformed message: params.%s must be a string or a number", k)
		}
		values[k] = v
	}
	return msg, values, nil
}
