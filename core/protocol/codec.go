package protocol

import (
	"encoding/json"
	"fmt"
	"strconv"

	"lanes/core/internal/plainjson"
)

// The messages on a run's path, written and read without encoding/json's
// passes over their bodies. A run of 10,000 tasks sends about 3 MB of
// events from its worker through the coordinator to the page, and in wasm
// encoding/json went over every byte about seven times on the way (to
// check a body already JSON, to find where it ends, to split an array of
// events): 11 ms to read one message of 256 events, on threads that share
// two cores with the run. Here a message is written as encoding/json
// writes it, and read in one pass that finds where its body ends; the
// bodies themselves are checked where they are read (a task by
// report.Task's UnmarshalJSON). Anything laid out another way goes to
// encoding/json, which reads it, or says why not.

// encode writes msg as encoding/json does, but its Body as it is: bodies
// come from encoding/json, from report.Task's AppendJSON, or from another
// worker's message, and the reader checks them.
func encode(msg Message) []byte {
	b := make([]byte, 0, len(msg.Body)+len(msg.Error)+48)
	b = append(b, `{"type":`...)
	b = plainjson.AppendString(b, msg.Type)
	b = append(b, `,"id":`...)
	b = strconv.AppendUint(b, msg.ID, 10)
	if len(msg.Body) > 0 {
		b = append(b, `,"body":`...)
		b = append(b, msg.Body...)
	}
	if msg.Error != "" {
		b = append(b, `,"error":`...)
		b = plainjson.AppendString(b, msg.Error)
	}
	return append(b, '}')
}

// eventBody is an event's JSON: as it came, for an event passed on from
// another worker; written by the event itself (report.Task); or by
// encoding/json.
func eventBody(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case json.RawMessage:
		return v, nil
	case interface{ AppendJSON([]byte) ([]byte, error) }:
		return v.AppendJSON(nil)
	}
	return json.Marshal(v)
}

// Decode reads one message from a worker. Its Body shares data's bytes,
// and is not checked: whoever reads it does.
func Decode(data []byte) (Message, error) {
	if msg, ok := decodeFast(data); ok {
		return msg, nil
	}
	var msg Message
	if err := json.Unmarshal(data, &msg); err != nil {
		return msg, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return msg, nil
}

// decodeFast reads the layout encode writes, with a type and an error of
// plain characters; anything else, it leaves to encoding/json.
func decodeFast(d []byte) (Message, bool) {
	var msg Message
	i, ok := plainjson.Skip(d, 0, `{"type":`)
	if !ok {
		return msg, false
	}
	if msg.Type, i = plainjson.String(d, i); i < 0 {
		return msg, false
	}
	if i, ok = plainjson.Skip(d, i, `,"id":`); !ok {
		return msg, false
	}
	j := i
	for j < len(d) && d[j] >= '0' && d[j] <= '9' {
		j++
	}
	id, err := strconv.ParseUint(string(d[i:j]), 10, 64)
	if err != nil || (d[i] == '0' && j > i+1) {
		return msg, false
	}
	msg.ID, i = id, j
	if i, ok = plainjson.Skip(d, i, `,"body":`); ok {
		j := valueEnd(d, i)
		if j < 0 {
			return msg, false
		}
		msg.Body, i = d[i:j:j], j
	}
	if i, ok = plainjson.Skip(d, i, `,"error":`); ok {
		if msg.Error, i = plainjson.String(d, i); i < 0 {
			return msg, false
		}
	}
	return msg, i == len(d)-1 && d[i] == '}'
}

// valueEnd returns the index after the JSON value that starts at d[i] —
// a string, an object or array (by its brackets, strings skipped), or a
// number or word (up to the next delimiter) — or -1 if it has no end. It
// does not check the value.
func valueEnd(d []byte, i int) int {
	if i >= len(d) {
		return -1
	}
	switch d[i] {
	case '"':
		return stringEnd(d, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(d); j++ {
			switch d[j] {
			case '"':
				if j = stringEnd(d, j); j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(d) && d[j] != ',' && d[j] != ']' && d[j] != '}' && d[j] != ' ' && d[j] != '\t' && d[j] != '\r' && d[j] != '\n' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// stringEnd returns the index after the JSON string that starts at d[i],
// or -1.
func stringEnd(d []byte, i int) int {
	for j := i + 1; j < len(d); j++ {
		switch d[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// Events returns the event bodies msg carries, in the order they were
// emitted: a TypeEvent's Body, or each element of a TypeEvents' Body;
// none for a message of another type. The bodies share msg.Body's bytes,
// and are not checked: whoever reads them does.
func Events(msg Message) ([]json.RawMessage, error) {
	switch msg.Type {
	case TypeEvent:
		return []json.RawMessage{msg.Body}, nil
	case TypeEvents:
		if bodies, ok := splitFast(msg.Body); ok {
			return bodies, nil
		}
		var bodies []json.RawMessage
		if err := json.Unmarshal(msg.Body, &bodies); err != nil {
			return nil, fmt.Errorf("%w: events: %v", ErrMalformed, err)
		}
		return bodies, nil
	}
	return nil, nil
}

// splitFast splits a JSON array written without spaces, as joinEvents
// writes it, into its elements.
func splitFast(d []byte) ([]json.RawMessage, bool) {
	if len(d) < 2 || d[0] != '[' || d[len(d)-1] != ']' {
		return nil, false
	}
	bodies := []json.RawMessage{}
	if len(d) == 2 {
		return bodies, true
	}
	for i := 1; ; {
		j := valueEnd(d, i)
		if j < 0 || j >= len(d) {
			return nil, false
		}
		bodies = append(bodies, d[i:j:j])
		switch {
		case d[j] == ']' && j == len(d)-1:
			return bodies, true
		case d[j] != ',':
			return nil, false
		}
		i = j + 1
	}
}
