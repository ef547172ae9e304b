package main

import (
	"sync"
	"syscall/js"
	"time"

	"github.com/hack-pad/safejs"
	vjs "github.com/vugu/vugu/js"

	"lanes/site"
)

// editor implements site.CodeEditor over window.LanesEditor, the code
// editor bundle (site/static/editor.js, CodeMirror), which it loads when
// the editor is first shown: a page that never edits never downloads it.
//
// The editor lives in a box the page's renders leave alone; every render
// mounts it again, which does nothing while it is in that box. Edits
// reach the page once they settle (settle), Ctrl/⌘+Enter at once.
type editor struct {
	url      string
	onChange func(doc string) // the text, once edits settle
	onRun    func()
	changes  chan struct{}
	run      js.Func // the editor's callbacks, which live as long as the page
	change   js.Func

	mu       sync.Mutex
	state    int      // loading state: notLoaded, loading, loaded, failed
	box      js.Value // where the editor is, or goes once loaded
	h        js.Value // the open editor's handle, or undefined
	doc      string   // the text to open it with
	readOnly bool
	diags    []site.Diagnostic
	focus    bool // take the focus once open
}

const (
	notLoaded = iota
	loading
	loaded
	failed
)

// settle is how long edits pause before the page takes the text (its
// links, its URL).
const settle = 250 * time.Millisecond

// newEditor returns an editor loaded from url, calling onChange with the
// text after edits and onRun (in goroutines) on Ctrl/⌘+Enter.
func newEditor(url string, onChange func(string), onRun func()) *editor {
	e := &editor{url: url, onChange: onChange, onRun: onRun, changes: make(chan struct{}, 1), h: js.Undefined(), box: js.Undefined()}
	e.run = js.FuncOf(func(js.Value, []js.Value) any {
		go e.onRun()
		return nil
	})
	e.change = js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case e.changes <- struct{}{}:
		default:
		}
		return nil
	})
	go e.settled()
	return e
}

// settled hands the text to onChange after each pause in the edits.
func (e *editor) settled() {
	for range e.changes {
		for pause := false; !pause; {
			select {
			case <-e.changes:
			case <-time.After(settle):
				pause = true
			}
		}
		if doc, ok := e.Doc(); ok {
			e.onChange(doc)
		}
	}
}

// Mount implements site.CodeEditor; box is the element vg-js-populate
// gives.
func (e *editor) Mount(box any, doc string) {
	v, ok := box.(vjs.Value)
	el := js.Value(v)
	if !ok || !el.Truthy() {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.h.Truthy() && el.Get("lanesEditor").Equal(e.h) {
		return // already there
	}
	if e.h.Truthy() { // the page made a new box: the editor moves
		e.h.Call("destroy")
		e.h = js.Undefined()
	}
	e.box, e.doc = el, doc
	switch e.state {
	case notLoaded:
		e.load()
	case loaded:
		e.open()
	case failed:
		e.box.Set("textContent", "The code editor could not be loaded: reload the page to try again.")
	}
}

// load adds editor.js to the page and opens the editor once it runs.
// The caller holds e.mu.
func (e *editor) load() {
	e.state = loading
	doc := js.Global().Get("document")
	script := doc.Call("createElement", "script")
	var onload, onerror js.Func
	done := func(state int) {
		onload.Release()
		onerror.Release()
		e.mu.Lock()
		defer e.mu.Unlock()
		e.state = state
		if state == failed {
			js.Global().Get("console").Call("warn", "lanes: the code editor could not be loaded from", e.url)
			e.box.Set("textContent", "The code editor could not be loaded: reload the page to try again.")
			return
		}
		e.open()
	}
	onload = js.FuncOf(func(js.Value, []js.Value) any {
		done(loaded)
		return nil
	})
	onerror = js.FuncOf(func(js.Value, []js.Value) any {
		done(failed)
		return nil
	})
	script.Set("src", e.url)
	script.Set("onload", onload)
	script.Set("onerror", onerror)
	doc.Get("head").Call("appendChild", script)
}

// open opens the editor in e.box. The caller holds e.mu.
func (e *editor) open() {
	if !e.box.Truthy() || !e.box.Get("isConnected").Truthy() {
		return // the box is gone: the next Mount opens it
	}
	opts := js.Global().Get("Object").New()
	opts.Set("doc", e.doc)
	opts.Set("readOnly", e.readOnly)
	opts.Set("label", "Your task's Go code")
	opts.Set("onRun", e.run)
	opts.Set("onChange", e.change)
	h, err := callOn(safejs.Global(), "LanesEditor", "open", safejs.Safe(e.box), safejs.Safe(opts))
	if err != nil {
		js.Global().Get("console").Call("error", "lanes: the code editor:", err.Error())
		return
	}
	e.h = safejs.Unsafe(h)
	e.box.Set("lanesEditor", e.h)
	e.showDiagnostics()
	if e.focus {
		e.focus = false
		e.h.Call("focus")
	}
}

// SetDoc implements site.CodeEditor.
func (e *editor) SetDoc(doc string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.doc = doc
	if e.h.Truthy() && e.h.Call("getDoc").String() != doc {
		e.h.Call("setDoc", doc)
	}
}

// Doc implements site.CodeEditor.
func (e *editor) Doc() (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.h.Truthy() {
		return "", false
	}
	return e.h.Call("getDoc").String(), true
}

// SetReadOnly implements site.CodeEditor.
func (e *editor) SetReadOnly(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.readOnly = on
	if e.h.Truthy() {
		e.h.Call("setReadOnly", on)
	}
}

// SetDiagnostics implements site.CodeEditor: those on a line are marked
// there (editor.js turns the compiler's byte columns into characters);
// the file's own (line 0) are only listed by the page.
func (e *editor) SetDiagnostics(ds []site.Diagnostic) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.diags = ds
	e.showDiagnostics()
}

// showDiagnostics puts e.diags in the open editor. The caller holds e.mu.
func (e *editor) showDiagnostics() {
	if !e.h.Truthy() {
		return
	}
	var list []any
	for _, d := range e.diags {
		if d.Line > 0 {
			list = append(list, map[string]any{"line": d.Line, "column": d.Column, "message": d.Message})
		}
	}
	e.h.Call("setDiagnostics", list)
}

// Focus implements site.CodeEditor.
func (e *editor) Focus() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.h.Truthy() {
		e.h.Call("focus")
		return
	}
	e.focus = true
}
