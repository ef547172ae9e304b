// Package promise waits for JavaScript promises from Go, in the page and
// in its Web Workers.
package promise
