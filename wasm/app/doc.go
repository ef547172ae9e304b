// Command app is the page's Go program: it reads the page's URL, starts the
// Web Worker pool from app.wasm compiled once, renders site.Root with
// Vugu, and connects the root to the browser — keys, the embed protocol's
// messages, downloads, the server's native runs. It never runs a demo's CPU
// work itself: that happens in the workers, which run this same binary
// (see package worker).
package main
