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
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// brotliLevel trades build time for size: the wasm files are megabytes,
// and level 11 takes tens of seconds on them for a few per cent.
const brotliLevel = 9

var compressible = map[string]bool{
	".js": true, ".mjs": true, ".css": true, ".wasm": true, ".json": true,
	".svg": true, ".txt": true, ".map": true, ".go": true,
}

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
		ext := filepath.Ext(p)
		if !compressible[ext] || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		gz, err := gzipped(src)
		if err != nil {
			return err
		}
		if err := writeIfSmaller(p+".gz", gz, len(src)); err != nil {
			return err
		}
		br, err := brotlied(src)
		if err != nil {
			return err
		}
		if err := writeIfSmaller(p+".br", br, len(src)); err != nil {
			return err
		}
		fmt.Printf("precompress %s: %d bytes, gzip %d, brotli %d\n", p, len(src), len(gz), len(br))
		return nil
	})
}

func gzipped(src []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(src); err != nil {
		return nil, err
	}
	err = w.Close()
	return buf.Bytes(), err
}

func brotlied(src []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotliLevel)
	if _, err := w.Write(src); err != nil {
		return nil, err
	}
	err := w.Close()
	return buf.Bytes(), err
}

func writeIfSmaller(name string, b []byte, than int) error {
	if len(b) >= than {
		if err := os.Remove(name); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return os.WriteFile(name, b, 0o644)
}
