// The built modules kept in the service's directory, out/, by key —
// KEY.wasm, and beside it KEY.wasm.br and KEY.wasm.gz once a client has
// asked for them — and a source that does not build by the answer it got,
// KEY.json; the least recently used go first.

package build

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// keyLen is the length of a key, hex.
const keyLen = 32

// key is the key of src built by tc: it changes with the source, the
// toolchain, the flags and Lanes' own source.
func key(tc *toolchain, src []byte) string {
	return hash(append([]byte(tc.id+"\n"), src...))[:keyLen]
}

// validKey reports whether k could be a key.
func validKey(k string) bool {
	if len(k) != keyLen {
		return false
	}
	for _, c := range k {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Compression of a module: brotli 7 is within 1% of 9 and takes half its
// time; the page over plain HTTP (a browser sends br only over HTTPS) gets
// gzip.
const (
	brotliLevel = 7
	gzipLevel   = 6
)

func (tc *toolchain) out(name string) string { return filepath.Join(tc.dir, "out", name) }

// cached returns whether the module of k is built, or the refusal its
// source got; a hit counts as a use, for trimming.
func (s *Service) cached(tc *toolchain, k string) (bool, *refusal) {
	now := time.Now()
	if err := os.Chtimes(tc.out(k+".wasm"), now, now); err == nil {
		return true, nil
	}
	b, err := os.ReadFile(tc.out(k + ".json"))
	if err != nil {
		return false, nil
	}
	var a answer
	if json.Unmarshal(b, &a) != nil || a.Error == "" {
		return false, nil
	}
	return false, &refusal{status: 422, msg: a.Error, diags: a.Diagnostics, cache: true}
}

// store keeps the file name (KEY.wasm, KEY.json) in out/, then trims the
// files kept to the service's bound.
func (s *Service) store(tc *toolchain, name string, data []byte) error {
	if err := tc.write(name, data); err != nil {
		return err
	}
	s.trim(tc)
	return nil
}

// encoded returns the path of the module of k in the encoding enc ("br"
// or "gzip"), compressing it the first time it is asked for — once, while
// other askers wait. It returns "" when the module is not kept.
func (s *Service) encoded(tc *toolchain, k, enc string) (string, error) {
	file := k + ".wasm" + map[string]string{"br": ".br", "gzip": ".gz"}[enc]
	name := tc.out(file)
	if _, err := os.Stat(name); err == nil {
		return name, nil
	}
	s.zmu.Lock()
	defer s.zmu.Unlock()
	if _, err := os.Stat(name); err == nil {
		return name, nil // compressed while this call waited
	}
	wasm, err := os.ReadFile(tc.out(k + ".wasm"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	switch enc {
	case "br":
		w := brotli.NewWriterLevel(&buf, brotliLevel)
		w.Write(wasm)
		w.Close()
	case "gzip":
		w, _ := gzip.NewWriterLevel(&buf, gzipLevel)
		w.Write(wasm)
		w.Close()
	}
	return name, tc.write(file, buf.Bytes())
}

// storeRefusal keeps the answer of a source that does not build.
func (s *Service) storeRefusal(tc *toolchain, k string, r *refusal) {
	b, _ := json.Marshal(answer{Error: r.msg, Diagnostics: r.diags})
	_ = s.store(tc, k+".json", b)
}

// write puts name in out/ whole or not at all: written in tmp/ (where
// sweep clears what a dead server left), then renamed into place.
func (tc *toolchain) write(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Join(tc.dir, "tmp"), "out-")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), tc.out(name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// trim removes the least recently used modules (and answers) until what is
// kept is within CacheBytes.
func (s *Service) trim(tc *toolchain) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	type entry struct {
		key   string
		size  int64
		mtime time.Time
	}
	byKey := map[string]*entry{}
	var total int64
	_ = filepath.WalkDir(filepath.Join(tc.dir, "out"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		k, _, _ := strings.Cut(d.Name(), ".")
		e := byKey[k]
		if e == nil {
			e = &entry{key: k}
			byKey[k] = e
		}
		e.size += info.Size()
		total += info.Size()
		if strings.HasSuffix(d.Name(), ".wasm") || strings.HasSuffix(d.Name(), ".json") {
			e.mtime = info.ModTime()
		}
		return nil
	})
	if total <= s.opt.CacheBytes {
		return
	}
	var entries []*entry
	for _, e := range byKey {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].mtime.Before(entries[j].mtime) })
	for _, e := range entries {
		if total <= s.opt.CacheBytes {
			break
		}
		// The module first: once it is gone the others are not served.
		for _, suffix := range []string{".wasm", ".json", ".wasm.br", ".wasm.gz"} {
			if err := os.Remove(tc.out(e.key + suffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				s.opt.Log.Warn("build cache: trimming", "err", err)
			}
		}
		total -= e.size
	}
}
