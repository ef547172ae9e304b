package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
	"lanes/core/remote"
	"lanes/core/report"
	"lanes/core/trace"
)

func TestMain(m *testing.M) {
	remote.MainIfWorker() // the workers strategy re-runs this binary as a worker
	os.Exit(m.Run())
}

func runJSON(t *testing.T, args ...string) report.Report {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), &out, &errOut, append(args, "--json"))
	require.NoError(t, err, errOut.String())
	var rep report.Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), out.String())
	return rep
}

func TestRunExactResults(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
		runs int
	}{
		{"sumsq all strategies", []string{"cpu-sumsq", "--size", "100000000", "--tasks", "7", "--workers", "2", "--strategy", "all"}, "333333328333333350000000", 6},
		{"primes all strategies", []string{"cpu-primes", "--size", "1000000", "--strategy", "all"}, "78498", 6},
		{"repeated", []string{"cpu-sumsq", "--size", "1e6", "--strategy", "sequential,goroutines", "--runs", "3"}, "333332833333500000", 2},
		{"download offline by default", []string{"io-download", "--latency", "5ms", "--strategy", "sequential,goroutines"}, "106710", 2},
		{"connections all strategies", []string{"connections", "--tasks", "2000", "--workers", "400", "--latency", "5ms", "--strategy", "all"}, "2664667000", 3},
		{"ten thousand connections", []string{"connections", "--strategy", "goroutines"}, "333283335000", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runJSON(t, tt.args...)
			assert.Equal(t, report.Schema, rep.Schema)
			assert.Equal(t, "native", rep.Platform.Kind)
			require.Len(t, rep.Runs, tt.runs)
			for _, r := range rep.Runs {
				assert.Equal(t, tt.want, r.Result, r.Strategy)
				assert.False(t, r.Partial, r.Strategy)
				assert.Empty(t, r.Error, r.Strategy)
				if slices.Contains(tt.args, "--runs") {
					assert.Len(t, r.WallsMs, 3, r.Strategy)
				}
			}
		})
	}
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the one-line error
	}{
		{nil, "name a demo first"},
		{[]string{"--size", "3"}, "name a demo first"},
		{[]string{"nope"}, `demo "nope": want one of io-download`},
		{[]string{"cpu-sumsq", "--tasks", "0"}, `tasks="0": want a whole number from 1 to 10000`},
		{[]string{"cpu-sumsq", "--size", "-1"}, `size="-1": want a whole number from 0 to 4294967296`},
		{[]string{"cpu-sumsq", "--size", "1e10"}, `size="1e10": want a whole number from 0 to 4294967296`},
		{[]string{"cpu-sumsq", "--size", "ten"}, `size="ten"`},
		{[]string{"cpu-sumsq", "--strategy", "hybrid"}, `strategy "hybrid": demo cpu-sumsq has`},
		{[]string{"cpu-sumsq", "--latency", "5ms"}, "latency: demo cpu-sumsq has no such parameter"},
		{[]string{"cpu-sumsq", "--target", "http://x"}, "target: demo cpu-sumsq downloads nothing"},
		{[]string{"io-download", "--target", "ftp://x/y"}, `target="ftp://x/y": want absolute http or https URLs`},
		{[]string{"io-download", "--latency", "-5ms"}, `latency="-5ms": want a duration from 0s to 10s`},
		{[]string{"cpu-sumsq", "--runs", "0"}, `runs="0": want a whole number from 1 to 20`},
		{[]string{"skew", "--runs", "21"}, `runs="21": want a whole number from 1 to 20`},
		{[]string{"cpu-sumsq", "--gomaxprocs", "0"}, "--gomaxprocs=\"0\": want a whole number from 1 to 1024"},
		{[]string{"cpu-sumsq", "--bogus", "1"}, "flag provided but not defined: -bogus"},
		{[]string{"cpu-sumsq", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := Run(context.Background(), &out, &errOut, tt.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.Equal(t, 2, ExitCode(err))
			assert.Empty(t, out.String())
		})
	}
}

func TestListNamesEveryDemo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, List(&out, nil))
	for _, id := range []string{"io-download", "connections", "cpu-sumsq", "cpu-primes", "order", "skew", "pipeline", "race", "cancel"} {
		assert.Contains(t, out.String(), id+" — ")
	}
	assert.Equal(t, 9, strings.Count(out.String(), "  shows:      "), "every demo's claim")
	assert.Equal(t, 2, ExitCode(List(&out, []string{"x"})))
}

func TestTableAndTimeline(t *testing.T) {
	var out, errOut bytes.Buffer
	// Units of 50 ms, the demo's own: ordered holds task 1 (2 units)
	// behind task 0 (4 units) unless a busy machine starts task 1 100 ms
	// late, where 5 ms units gave it 10 ms.
	err := Run(context.Background(), &out, &errOut, []string{"order", "--latency", "50ms", "--tasks", "4", "--timeline"})
	require.NoError(t, err)
	text := out.String()
	assert.Contains(t, text, "ordered")
	assert.Contains(t, text, "as-completed")
	assert.Contains(t, text, "delivery order: 0 1 2 3", "ordered delivers in submission order")
	// How soon a lane's first wait began, within the first column or after
	// it, is the machine's to say.
	assert.Regexp(t, `lane +0 +\| *~`, text, "the lanes wait")
	assert.Regexp(t, `undelivered +\| *_`, text, "ordered holds results back")
	assert.Contains(t, text, ". queued   ~ io-wait   _ undelivered   blank: idle")
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 100, "%q", line)
	}
}

// TestTrace writes the runs as a trace beside the table: a valid trace with
// a complete event per task; a file that cannot be made is named.
func TestTrace(t *testing.T) {
	file := filepath.Join(t.TempDir(), "run.trace.json")
	var out, errOut bytes.Buffer
	require.NoError(t, Run(context.Background(), &out, &errOut, []string{"cpu-sumsq", "--size", "1e6", "--tasks", "5", "--strategy", "sequential,goroutines", "--trace", file}))
	assert.Contains(t, out.String(), "goroutines", "the table as well")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	phases, err := trace.Validate(data)
	require.NoError(t, err)
	var f trace.File
	require.NoError(t, json.Unmarshal(data, &f))
	assert.Equal(t, 10, f.Count("X", "task"), "5 tasks × 2 strategies")
	assert.GreaterOrEqual(t, f.Count("X", "phase"), 10, "each computed on its lane")
	assert.Equal(t, phases["X"], f.Count("X", "task")+f.Count("X", "phase"))
	err = Run(context.Background(), &out, &errOut, []string{"cpu-sumsq", "--size", "1e6", "--trace", filepath.Join(t.TempDir(), "no", "such", "dir", "t.json")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--trace")
}

func TestTableSaysWhereTheTimeWent(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Run(context.Background(), &out, &errOut, []string{"cpu-sumsq", "--size", "1e7", "--strategy", "sequential,goroutines,workers", "--runs", "2"})
	require.NoError(t, err)
	text := out.String()
	assert.Contains(t, text, "wall (median of 2)")
	assert.Contains(t, text, "result: 333333283333335000000 (every run)")
	assert.Contains(t, text, "time beyond the ideal:")
	assert.Regexp(t, `strategy +startup +dispatch +imbalance +contention +repeats ranged`, text)
	// Each run has its verdict line; which verdict depends on how busy the
	// machine was (an idle lane, a warning), which report's verdict tests
	// check with made-up runs.
	assert.Regexp(t, `(?m)^- sequential: `, text)
	assert.Regexp(t, `(?m)^- 8 goroutines[: ]`, text)
	assert.Regexp(t, `(?m)^- 2 workers[: ]`, text)
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 80, "%q", line)
	}
}

// TestTableSaysWhatALaneCost: the connections demo measures what a lane
// cost in memory, and the table says it under the runs, in 80 columns.
func TestTableSaysWhatALaneCost(t *testing.T) {
	var out, errOut bytes.Buffer
	// The demo's own latency, 200 ms: for fewer than report.MinGoroutines
	// to be parked at once, each goroutine would have to take 200 µs to
	// start. With 20 ms a fresh clone saw 2790 of 3000 overlap (about 7 µs
	// a start, under the race detector on a busy machine): three times
	// slower, and the figure was gone.
	err := Run(context.Background(), &out, &errOut, []string{"connections", "--tasks", "3000", "--latency", "200ms", "--strategy", "goroutines"})
	require.NoError(t, err)
	text := out.String()
	assert.Contains(t, text, "memory a lane cost:\n  goroutines: ")
	// How many overlapped is measured: on a busy machine the first waits
	// end before the last goroutines start, and the run's own goroutines
	// (a timer, the collector) count too. Below report.MinGoroutines the
	// figure is not given.
	m := regexp.MustCompile(`goroutines: (\d+) goroutines at once: \d+\.\d KiB of stack each`).FindStringSubmatch(text)
	require.NotNil(t, m, text)
	peak, _ := strconv.Atoi(m[1])
	assert.True(t, peak >= report.MinGoroutines && peak <= 3000+10, "%d goroutines at once, for 3000 tasks", peak)
	if runtime.GOOS == "linux" {
		assert.Regexp(t, `an OS\s+thread: \d+\.\d KiB`, text)
	}
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 80, "%q", line)
	}
}

func TestWrap(t *testing.T) {
	cases := []struct{ in, want string }{
		{"short", "short"},
		{"one two three four", "one two\n  three\n  four"},
		{"averyveryverylongword x", "averyveryverylongword\n  x"},
		{"", ""},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, wrap(c.in, 10, "  "), c.in)
	}
	assert.Equal(t, "  a:  one two\n      three", hang("  a:  ", "one two three", 14))
}

func TestCancelledRunIsPartial(t *testing.T) {
	var out, errOut bytes.Buffer
	err := Run(context.Background(), &out, &errOut, []string{"cancel", "--timeout", "50ms", "--strategy", "sequential"})
	require.NoError(t, err, "a deadline the demo asks for is not a failure")
	assert.Contains(t, out.String(), "(partial)")
	assert.Contains(t, out.String(), "partial: ")
}

// TestKnobsReachableFromTheCommandLine: each demo's every knob has a flag
// that sets it.
func TestKnobsReachableFromTheCommandLine(t *testing.T) {
	for _, d := range demo.All() {
		for _, p := range d.Params {
			t.Run(d.ID+"/"+p.Name, func(t *testing.T) {
				want := p.Min
				if want == p.Default {
					want = p.Max
				}
				values, _, err := parseRunFlags([]string{d.ID, "--" + p.Name, p.Format(want)})
				require.NoError(t, err)
				cfg, err := demo.Parse(values)
				require.NoError(t, err)
				assert.Equal(t, want, cfg.Value(p))
			})
		}
	}
}
