// Package static serves the browser app's files: the page at / and /embed,
// every file at its own name and at an immutable content-hashed URL
// /h/HASH/NAME, precompressed gzip or brotli chosen by Accept-Encoding,
// content-hash ETags with 304s, and the app's Content-Security-Policy.
//
// Files are read once into a Table. In HTML files, every quoted absolute
// path of another file ("/boot.js") is rewritten to its hashed URL
// ("/h/HASH/boot.js"), so the page names exact versions and everything but
// the page itself can be cached for good.
package static

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
)

// HashLen is the length of the hex content hash in /h/HASH/NAME.
const HashLen = 16

// The encodings a file may be stored in, as Accept-Encoding names them.
const (
	identity = ""
	encGzip  = "gzip"
	encBr    = "br"
)

// An asset is one file and its encoded forms.
type asset struct {
	name  string            // path inside the FS, without a leading slash
	hash  string            // HashLen hex digits of the served identity bytes
	ctype string            // Content-Type
	html  bool              // an HTML page: rewritten, never cached unvalidated
	reps  map[string][]byte // encoding → bytes; identity always present
}

// A Table is a set of files ready to serve.
type Table struct {
	assets map[string]*asset
}

// LoadOptions say how Load treats precompressed files.
type LoadOptions struct {
	// Precompressed uses NAME.gz and NAME.br beside NAME as its encoded
	// forms, and compresses with gzip whatever compressible file has none.
	// Off (serving from disk while developing, where those files may be
	// stale), only HTML pages are compressed.
	Precompressed bool
	// TestHooks marks every page's <html> with data-lanes-test, which has
	// the app install the browser tests' hooks (window.lanesTest). Only
	// for the tests' server: never on a public one.
	TestHooks bool
}

// testMark is what TestHooks adds to a page's <html> element.
const testMark = ` data-lanes-test="1"`

// Load reads every regular file of fsys, except dot files and the .gz and
// .br variants of other files, into a Table.
func Load(fsys fs.FS, opt LoadOptions) (*Table, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	t := &Table{assets: map[string]*asset{}}
	for name, b := range files {
		if isVariant(name, files) {
			continue
		}
		a := &asset{name: name, ctype: contentType(name), reps: map[string][]byte{identity: b}}
		a.html = IsHTML(name)
		a.hash = hashOf(b)
		t.assets[name] = a
	}
	if opt.TestHooks {
		for _, a := range t.assets {
			if a.html {
				a.reps[identity] = bytes.Replace(a.reps[identity], []byte("<html"), []byte("<html"+testMark), 1)
			}
		}
	}
	t.rewriteHTML()
	for _, a := range t.assets {
		switch {
		case a.html:
			a.compress(true)
		case opt.Precompressed:
			for _, enc := range []string{encGzip, encBr} {
				if v, ok := files[a.name+ext(enc)]; ok && len(v) < len(a.reps[identity]) {
					a.reps[enc] = v
				}
			}
			if a.reps[encGzip] == nil && Compressible(a.name) {
				a.compress(false)
			}
		}
	}
	return t, nil
}

// isVariant reports whether name is the .gz or .br form of another file.
func isVariant(name string, files map[string][]byte) bool {
	for _, enc := range []string{encGzip, encBr} {
		if base, ok := strings.CutSuffix(name, ext(enc)); ok {
			if _, ok := files[base]; ok {
				return true
			}
		}
	}
	return false
}

func ext(enc string) string {
	if enc == encBr {
		return ".br"
	}
	return ".gz"
}

// rewriteHTML points every quoted absolute path of a non-HTML file, in
// every HTML file, at its hashed URL, and rehashes the pages.
func (t *Table) rewriteHTML() {
	var names []string
	for name, a := range t.assets {
		if !a.html {
			names = append(names, name)
		}
	}
	// Longest first, so "/a.js.map" is not taken for "/a.js" + ".map"
	// (quotes make that impossible anyway; the order keeps output stable).
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	var pairs []string
	for _, name := range names {
		h := t.assets[name].hash
		for _, q := range []string{`"`, `'`} {
			pairs = append(pairs, q+"/"+name+q, q+HashedPath(h, name)+q)
		}
	}
	r := strings.NewReplacer(pairs...)
	for _, a := range t.assets {
		if a.html {
			b := []byte(r.Replace(string(a.reps[identity])))
			a.reps[identity] = b
			a.hash = hashOf(b)
		}
	}
}

// compress adds the gzip form (and with br, the brotli form) of the
// identity bytes, where they are smaller.
func (a *asset) compress(br bool) {
	src := a.reps[identity]
	if b := Compress(src, encGzip); b != nil {
		a.reps[encGzip] = b
	}
	if !br {
		return
	}
	if b := Compress(src, encBr); b != nil {
		a.reps[encBr] = b
	}
}

// HashedPath returns the immutable URL path of a file with the hash.
func HashedPath(hash, name string) string { return "/h/" + hash + "/" + name }

// Hashed returns the immutable URL path of the named file, and whether
// there is such a file.
func (t *Table) Hashed(name string) (string, bool) {
	a, ok := t.assets[name]
	if !ok {
		return "", false
	}
	return HashedPath(a.hash, name), true
}

// Largest returns the length of the largest file, in any of its forms.
func (t *Table) Largest() int64 {
	var n int64
	for _, a := range t.assets {
		for _, b := range a.reps {
			n = max(n, int64(len(b)))
		}
	}
	return n
}

// Names returns the names of the files, sorted.
func (t *Table) Names() []string {
	names := make([]string, 0, len(t.assets))
	for name := range t.assets {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:HashLen]
}

// contentType names the type of a file by its extension, exactly for the
// types the app uses and by the mime table otherwise.
func contentType(name string) string {
	switch e := path.Ext(name); e {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	case ".json", ".map":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".txt", ".go":
		return "text/plain; charset=utf-8"
	default:
		if t := mime.TypeByExtension(e); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}
