//go:build !js

package main

import (
	"fmt"
	"os"
)

// main says what the program is for: it runs in a Web Worker only.
func main() {
	fmt.Fprintln(os.Stderr, "taskworker runs in a Web Worker: build it with GOOS=js GOARCH=wasm (the build service does)")
	os.Exit(2)
}
