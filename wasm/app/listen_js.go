package main

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"

	"lanes/core/protocol"
	"lanes/site"
)

// listen connects the keys (Enter runs, Esc stops; in the code editor
// they are the editor's own) and the embed
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
		case target.Get("isContentEditable").Truthy(): // the code editor
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
	parent := safejs.Safe(g.Get("parent"))
	stringify := safejs.Safe(g.Get("JSON"))
	message := js.FuncOf(func(_ js.Value, args []js.Value) any {
		text, err := readMessage(safejs.Safe(args[0]), parent, stringify)
		switch {
		case errors.Is(err, errNotParent):
		case err != nil:
			go b.Post(protocol.Failure("malformed message: " + err.Error()))
		default:
			go receive(root, b, text)
		}
		return nil
	})
	g.Call("addEventListener", "message", message)
}

// errNotParent marks a message from anyone but the embedding page, which
// is ignored: only the parent speaks the protocol.
var errNotParent = errors.New("not from the parent")

// readMessage reads a message event from the parent as JSON text. Every
// value that crosses postMessage is hostile: a BigInt or a cyclic object
// makes JSON.stringify throw, which safejs returns as an error instead of
// a panic that would kill the page's Go.
func readMessage(ev, parent, json safejs.Value) (string, error) {
	source, err := ev.Get("source")
	if err != nil || !source.Equal(parent) {
		return "", errNotParent
	}
	data, err := ev.Get("data")
	if err != nil {
		return "", err
	}
	if data.Type() != safejs.TypeObject {
		return "", nil // answered as malformed by parseInbound
	}
	text, err := json.Call("stringify", data)
	if err != nil {
		return "", fmt.Errorf("it cannot be read as JSON (%v)", err)
	}
	str, err := text.String()
	if err == nil && len(str) > maxMessage {
		err = fmt.Errorf("over %d bytes", maxMessage)
	}
	return str, err
}

// maxMessage bounds a message from the parent, as JSON: a run message is
// a few hundred characters.
const maxMessage = 64 << 10

// locked runs f holding the event lock, then renders.
func locked(root *site.Root, f func()) {
	root.Events.Lock()
	defer root.Events.UnlockRender()
	f()
}

// receive acts on one message from the embedding page. A message that is
// not well formed is answered with an error and changes nothing.
func receive(root *site.Root, b *backend, text string) {
	msg, values, err := protocol.ParseInbound(text)
	if err != nil {
		b.Post(protocol.Failure(err.Error()))
		return
	}
	switch msg.Type {
	case protocol.TypeStop:
		locked(root, root.Stop)
	case protocol.TypeRun:
		root.Events.Lock()
		err := root.Apply(values)
		running := root.Running()
		if err == nil && running {
			root.Stop()
		}
		root.Events.UnlockRender()
		if err != nil {
			b.Post(protocol.Failure("run: " + err.Error()))
			return
		}
		for running { // the stopped run ends within moments
			time.Sleep(10 * time.Millisecond)
			root.Events.Lock()
			running = root.Running()
			root.Events.UnlockOnly()
		}
		locked(root, root.Start)
	}
}
