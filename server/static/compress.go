package static

import (
	"bytes"
	"compress/gzip"
	"strings"

	"github.com/andybalholm/brotli"
)

// BrotliLevel is the brotli level for src's length: the best (11) for the
// pages and scripts of up to a megabyte, 9 beyond, where 11 takes tens of
// seconds on the wasm binaries for a few per cent. It is the one choice
// for both the files compressed at build time (server/precompress) and
// the pages compressed at start-up.
func BrotliLevel(n int) int {
	if n >= 1<<20 {
		return 9
	}
	return brotli.BestCompression
}

// Compress returns src in the encoding enc ("gzip" or "br"), or nil when
// that would not be smaller.
func Compress(src []byte, enc string) []byte {
	var buf bytes.Buffer
	switch enc {
	case encGzip:
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(src)
		w.Close()
	case encBr:
		w := brotli.NewWriterLevel(&buf, BrotliLevel(len(src)))
		w.Write(src)
		w.Close()
	default:
		panic("static: no encoding " + enc)
	}
	if buf.Len() >= len(src) {
		return nil
	}
	return buf.Bytes()
}

// Compressible reports whether a file of the name is worth compressing,
// by its content type: text, wasm, JSON and SVG.
func Compressible(name string) bool {
	ctype := contentType(name)
	return strings.HasPrefix(ctype, "text/") || ctype == "application/wasm" ||
		ctype == "application/json" || ctype == "image/svg+xml"
}

// IsHTML reports whether a file of the name is an HTML page, which the
// server rewrites at start-up (hashed URLs) and compresses itself.
func IsHTML(name string) bool { return strings.HasPrefix(contentType(name), "text/html") }
