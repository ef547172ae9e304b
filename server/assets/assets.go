// Package assets holds the browser app's files, embedded at build time from
// dist/, which `make assets` fills: index.html, app.wasm (which the page and
// its workers both run), wasm_exec.js, the static files of site/static and
// their precompressed .gz and .br variants. Before the first `make`, dist holds only a
// placeholder, so a fresh checkout still builds.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the embedded files, rooted at dist.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("assets: " + err.Error()) // dist is embedded, so this cannot happen
	}
	return sub
}
