package build_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/server/build"
)

// bombs are sources that take a compiler's time, memory or disk without
// end, each with what stops it.
var bombs = []struct {
	name, says, src string
}{
	{"deep generic instantiation", "took longer than", func() string {
		t := "int"
		for range 40 { // a type of 2⁴⁰ ints, which the compiler lays out
			t = "P[" + t + "]"
		}
		return "package task\n\nimport \"context\"\n\ntype P[T any] struct{ a, b T }\n\nvar v " + t +
			"\n\nfunc Task(ctx context.Context, i, n int) (string, error) { _ = v; return \"1\", nil }\n"
	}()},
	{"huge constant expressions", "memory", func() string {
		var b strings.Builder
		b.WriteString("package task\n\nimport \"context\"\n\nconst (\n\ts0 = \"0123456789abcdef\"\n")
		for k := 1; k <= 7; k++ { // a string constant of 16⁸ bytes
			prev := "s" + strconv.Itoa(k-1)
			fmt.Fprintf(&b, "\ts%d = %s\n", k, strings.TrimSuffix(strings.Repeat(prev+" + ", 16), " + "))
		}
		b.WriteString(")\n\nfunc Task(ctx context.Context, i, n int) (string, error) { return s7[:i], nil }\n")
		return b.String()
	}()},
	{"a huge array", "wrote more than", "package task\n\nimport \"context\"\n\nvar table = [1 << 25]int{1<<25 - 1: 1}\n\n" +
		"func Task(ctx context.Context, i, n int) (string, error) { table[i]++; return \"1\", nil }\n"},
}

// TestCompileBombs: each bomb is cut within the service's caps — a 422
// that says which — leaving no process behind, and the service builds
// the next task as before.
func TestCompileBombs(t *testing.T) {
	service(t) // the shared directory, laid out
	const timeout = 20 * time.Second
	s := build.New(build.Options{Dir: sharedDir, GoCache: goCache(t), Timeout: timeout, Memory: 512 << 20})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	require.Equal(t, build.StateReady, s.Ready(ctx))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			start := time.Now()
			r := post(t, srv, b.src)
			took := time.Since(start)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status, "%+v", r)
			assert.Contains(t, r.Error, b.says)
			require.Len(t, r.Diagnostics, 1)
			assert.Equal(t, 0, r.Diagnostics[0].Line, "a cap is the file's as a whole")
			assert.Less(t, took, timeout+30*time.Second, "cut within the build's time")
			t.Logf("%s: %v, %s", b.name, took.Round(time.Millisecond), r.Error)
			assert.Empty(t, buildProcesses(t), "a process of the build outlived it")
		})
	}
	r := post(t, srv, readFile(t, "testdata/sumsq.go")+"\n// after the bombs "+time.Now().String()+"\n")
	assert.Equal(t, http.StatusOK, r.status, r.Error)
}

// buildProcesses lists the processes still working in the shared
// directory: its builds' go commands, compilers and linkers.
func buildProcesses(t *testing.T) []string {
	t.Helper()
	var found []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		found = found[:0]
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return nil // no /proc here: nothing to look at
		}
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
			cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if strings.HasPrefix(cwd, sharedDir) || strings.Contains(string(cmdline), sharedDir) {
				found = append(found, e.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
			}
		}
		if len(found) == 0 || time.Now().After(deadline) {
			return found
		}
		time.Sleep(100 * time.Millisecond)
	}
}
