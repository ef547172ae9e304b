//go:build !js

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "app: this program runs in a browser page; build it with GOOS=js GOARCH=wasm")
	os.Exit(2)
}
