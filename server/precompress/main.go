// Command precompress writes NAME.gz and NAME.br beside every compressible
// file of a directory tree (the app's assets, at build time), so the server
// sends compressed files without compressing per request. A variant that
// would not be smaller is not written, and a stale one is removed. HTML
// pages are skipped: the server rewrites them at start-up and compresses
// them itself.
//
//	go run ./server/precompress server/assets/dist
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"lanes/server/static"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		if !static.Compressible(p) || static.IsHTML(p) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		gz, br := static.Compress(src, "gzip"), static.Compress(src, "br")
		if err := writeOrRemove(p+".gz", gz); err != nil {
			return err
		}
		if err := writeOrRemove(p+".br", br); err != nil {
			return err
		}
		fmt.Printf("precompress %s: %d bytes, gzip %d, brotli %d\n", p, len(src), len(gz), len(br))
		return nil
	})
}

// writeOrRemove writes b to name, or when b is nil (no smaller than the
// file) removes a stale name.
func writeOrRemove(name string, b []byte) error {
	if b == nil {
		if err := os.Remove(name); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return os.WriteFile(name, b, 0o644)
}
