package main

import (
	"syscall/js"

	"lanes/wasm/worker"
)

// main runs the page, or — in one of the page's Web Workers, which run this
// same binary — the worker.
func main() {
	if js.Global().Get("document").IsUndefined() {
		worker.Main()
		return
	}
	runPage()
}

// fail shows an error that stops the page from working, in the box that
// boot.js also uses.
func fail(err error) {
	doc := js.Global().Get("document")
	box := doc.Call("getElementById", "boot-error")
	if box.Truthy() {
		box.Set("textContent", "Lanes failed: "+err.Error())
		box.Set("hidden", false)
	}
	js.Global().Get("console").Call("error", "lanes:", err.Error())
}
