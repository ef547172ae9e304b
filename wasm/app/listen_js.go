package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"syscall/js"
	"time"

	"lanes/site"
)

// listen connects the keys (Enter runs, Esc stops) and the embed
// protocol's incoming messages to the root. The callbacks only read the
// event and hand it to a goroutine: they must never wait for the event lock.
// They live as long as the page, so they are never released.
func listen(root *site.Root, b *backend) {
	g := js.Global()
	keydown := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		key := ev.Get("key").String()
		target := ev.Get("target")
		tag := target.Get("tagName").String()
		switch {
		case key == "Escape":
			go locked(root, root.Stop)
		case key == "Enter" && tag != "TEXTAREA" && tag != "BUTTON" && tag != "SUMMARY" && tag != "A":
			ev.Call("preventDefault")
			name, value := "", ""
			if tag == "INPUT" && target.Get("type").String() == "number" {
				name, value = target.Get("name").String(), target.Get("value").String()
			}
			go locked(root, func() {
				if name != "" {
					root.SetParam(name, value)
					if root.FormErr != "" {
						return
					}
				}
				root.Start()
			})
		}
		return nil
	})
	g.Get("document").Call("addEventListener", "keydown", keydown)

	if !b.embedded {
		return
	}
	message := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		if !ev.Get("source").Equal(g.Get("parent")) {
			return nil // only the embedding page speaks the protocol
		}
		text := ""
		if data := ev.Get("data"); data.Type() == js.TypeObject {
			text = g.Get("JSON").Call("stringify", data).String()
		}
		go receive(root, b, text)
		return nil
	})
	g.Call("addEventListener", "message", message)
}

// locked runs f holding the event lock, then renders.
func locked(root *site.Root, f func()) {
	root.EE.Lock()
	defer root.EE.UnlockRender()
	f()
}

// An inbound is a message from the embedding page.
type inbound struct {
	Source string                     `json:"source"`
	Type   string                     `json:"type"`
	Params map[string]json.RawMessage `json:"params"`
}

// receive acts on one message from the embedding page. A message that is
// not well formed is answered with an error and changes nothing.
func receive(root *site.Root, b *backend, text string) {
	msg, values, err := parseInbound(text)
	if err != nil {
		b.Post(map[string]any{"type": "error", "message": err.Error()})
		return
	}
	switch msg.Type {
	case "stop":
		locked(root, root.Stop)
	case "run":
		root.EE.Lock()
		err := root.Apply(values)
		running := root.Running
		if err == nil && running {
			root.Stop()
		}
		root.EE.UnlockRender()
		if err != nil {
			b.Post(map[string]any{"type": "error", "message": "run: " + err.Error()})
			return
		}
		for running { // the stopped run ends within moments
			time.Sleep(10 * time.Millisecond)
			root.EE.Lock()
			running = root.Running
			root.EE.UnlockOnly()
		}
		locked(root, root.Start)
	}
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
		var s string
		var n json.Number
		switch {
		case json.Unmarshal(raw, &s) == nil:
			values[k] = s
		case json.Unmarshal(raw, &n) == nil:
			if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
				return msg, nil, fmt.Errorf("malformed message: params.%s is not a number", k)
			}
			values[k] = n.String()
		default:
			return msg, nil, fmt.Errorf("malformed message: params.%s must be a string or a number", k)
		}
	}
	return msg, values, nil
}
