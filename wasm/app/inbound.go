package main

import (
	"encoding/json"
	"fmt"

	"lanes/core/demo"
)

// An inbound is a message from the embedding page.
type inbound struct {
	Source string                     `json:"source"`
	Type   string                     `json:"type"`
	Params map[string]json.RawMessage `json:"params"`
}

// parseInbound checks a message's shape and turns run's params into the
// name=value pairs demo.Parse reads.
func parseInbound(text string) (inbound, map[string]string, error) {
	var msg inbound
	if text == "" || json.Unmarshal([]byte(text), &msg) != nil {
		return msg, nil, fmt.Errorf(`malformed message: want an object {source: "lanes", type: "run" or "stop", params}`)
	}
	if msg.Source != "lanes" {
		return msg, nil, fmt.Errorf(`malformed message: source %q, want "lanes"`, msg.Source)
	}
	switch msg.Type {
	case "stop":
		return msg, nil, nil
	case "run":
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
