package static

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CSP is the app's Content-Security-Policy, without frame-ancestors: Vugu
// needs 'unsafe-eval' and Go's wasm 'wasm-unsafe-eval'; nothing is inline
// but styles, and everything comes from this origin.
const CSP = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; " +
	"worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"

// Page is the file served at / and /embed.
const Page = "index.html"

// The Cache-Control values.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheRevalid   = "no-cache"
)

// A Handler serves a Table's files.
type Handler struct {
	table func() *Table
}

// New returns a Handler for a fixed table.
func New(t *Table) *Handler {
	return &Handler{table: func() *Table { return t }}
}

// Dev returns a Handler that reads fsys again, at most once a second, so
// that files edited on disk are served without a restart; it compresses
// only the pages. A failed reload is logged and the last table kept.
func Dev(fsys fs.FS, log *slog.Logger) (*Handler, error) {
	t, err := Load(fsys, LoadOptions{})
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var mu sync.Mutex
	last := time.Now()
	return &Handler{table: func() *Table {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) >= time.Second {
			last = time.Now()
			if nt, err := Load(fsys, LoadOptions{}); err != nil {
				log.Warn("static: reload failed", "err", err)
			} else {
				t = nt
			}
		}
		return t
	}}, nil
}

// ServeHTTP serves GET and HEAD of /, /embed, /NAME and /h/HASH/NAME.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	t := h.table()
	p := r.URL.Path
	name, immutable := strings.TrimPrefix(p, "/"), false
	switch {
	case p == "/" || p == "/embed":
		name = Page
	case strings.HasPrefix(p, "/h/"):
		hash, rest, ok := strings.Cut(strings.TrimPrefix(p, "/h/"), "/")
		a := t.assets[rest]
		if !ok || a == nil || a.hash != hash {
			http.Error(w, "no such file at this hash", http.StatusNotFound)
			return
		}
		name, immutable = rest, true
	}
	a := t.assets[name]
	if a == nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	frame := "'self'"
	if p == "/embed" {
		frame = "*" // tutorials on other sites embed it
	}
	hd.Set("Content-Security-Policy", CSP+"; frame-ancestors "+frame)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Vary", "Accept-Encoding")
	switch {
	case immutable:
		hd.Set("Cache-Control", cacheImmutable)
	default:
		hd.Set("Cache-Control", cacheRevalid)
	}
	enc := negotiate(r.Header.Get("Accept-Encoding"), a)
	etag := `"` + a.hash + encSuffix(enc) + `"`
	hd.Set("ETag", etag)
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.reps[enc]
	hd.Set("Content-Type", a.ctype)
	if enc != identity {
		hd.Set("Content-Encoding", enc)
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func encSuffix(enc string) string {
	if enc == identity {
		return ""
	}
	return "-" + enc
}

// negotiate picks the smallest stored form of a the client accepts:
// brotli, then gzip, then identity.
func negotiate(accept string, a *asset) string {
	if len(a.reps) == 1 || accept == "" {
		return identity
	}
	q := acceptQ(accept)
	for _, enc := range []string{encBr, encGzip} {
		if a.reps[enc] != nil && q(enc) > 0 {
			return enc
		}
	}
	return identity
}

// acceptQ parses an Accept-Encoding header into a function giving each
// coding's quality; "*" stands for codings not named.
func acceptQ(accept string) func(string) float64 {
	named := map[string]float64{}
	star := -1.0
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		qv := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0
			}
			qv = f
		}
		if coding == "*" {
			star = qv
		} else if coding != "" {
			named[coding] = qv
		}
	}
	return func(c string) float64 {
		if v, ok := named[c]; ok {
			return v
		}
		if star >= 0 {
			return star
		}
		return 0
	}
}

// etagMatch reports whether an If-None-Match header matches etag, weakly
// (W/ prefixes ignored) as RFC 9110 asks for GET.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
