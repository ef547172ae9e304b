package demo_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"lanes/core/demo"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"no demo", map[string]string{"size": "5"},
			"demo: missing; want one of io-download, connections, cpu-sumsq, cpu-primes, order, skew, pipeline, race, cancel"},
		{"unknown demo", map[string]string{"demo": "cpu-magic"},
			`demo "cpu-magic": want one of io-download, connections, cpu-sumsq, cpu-primes, order, skew, pipeline, race, cancel`},
		{"unknown strategy", map[string]string{"demo": "cpu-sumsq", "strategy": "sequential,threads"},
			`strategy "threads": demo cpu-sumsq has sequential, pool, goroutines, semaphore, workers, partition, or all`},
		{"empty strategy", map[string]string{"demo": "cpu-sumsq", "strategy": ""},
			`strategy "": demo cpu-sumsq has sequential, pool, goroutines, semaphore, workers, partition, or all`},
		{"another demo's variant", map[string]string{"demo": "order", "strategy": "pool"},
			`strategy "pool": demo order has ordered, as-completed, or all`},
		{"unknown param", map[string]string{"demo": "cpu-sumsq", "chunk": "3"},
			"chunk: demo cpu-sumsq has no such parameter; it has tasks, workers, size, timeout, runs"},
		{"unknown param of a download", map[string]string{"demo": "io-download", "size": "3"},
			"size: demo io-download has no such parameter; it has tasks, workers, latency, timeout, runs, target"},
		{"negative", map[string]string{"demo": "cpu-sumsq", "size": "-1"},
			`size="-1": want a whole number from 0 to 4294967296`},
		{"too large", map[string]string{"demo": "cpu-sumsq", "size": "4294967297"},
			`size="4294967297": want a whole number from 0 to 4294967296`},
		{"too large by power", map[string]string{"demo": "cpu-primes", "size": "1e10"},
			`size="1e10": want a whole number from 0 to 4294967296`},
		{"overflowing power", map[string]string{"demo": "cpu-primes", "size": "9e18"},
			`size="9e18": want a whole number from 0 to 4294967296`},
		{"power beyond int64", map[string]string{"demo": "cpu-primes", "size": "1e19"},
			`size="1e19": want a whole number from 0 to 4294967296`},
		{"overflowing number", map[string]string{"demo": "cpu-primes", "size": "99999999999999999999"},
			`size="99999999999999999999": want a whole number from 0 to 4294967296`},
		{"fraction", map[string]string{"demo": "cpu-sumsq", "size": "1.5"},
			`size="1.5": want a whole number from 0 to 4294967296`},
		{"malformed", map[string]string{"demo": "cpu-sumsq", "workers": "two"},
			`workers="two": want a whole number from 1 to 32`},
		{"empty", map[string]string{"demo": "cpu-sumsq", "workers": ""},
			`workers="": want a whole number from 1 to 32`},
		{"zero workers", map[string]string{"demo": "cpu-sumsq", "workers": "0"},
			`workers="0": want a whole number from 1 to 32`},
		{"too many workers", map[string]string{"demo": "cpu-sumsq", "workers": "33"},
			`workers="33": want a whole number from 1 to 32`},
		{"zero tasks", map[string]string{"demo": "cpu-primes", "tasks": "0"},
			`tasks="0": want a whole number from 1 to 10000`},
		{"too many tasks", map[string]string{"demo": "race", "tasks": "65"},
			`tasks="65": want a whole number from 1 to 64`},
		{"negative exponent", map[string]string{"demo": "cpu-sumsq", "size": "1e-3"},
			`size="1e-3": want a whole number from 0 to 4294967296`},
		{"latency malformed", map[string]string{"demo": "io-download", "latency": "soon"},
			`latency="soon": want a duration from 0s to 10s`},
		{"latency negative", map[string]string{"demo": "io-download", "latency": "-5ms"},
			`latency="-5ms": want a duration from 0s to 10s`},
		{"latency too long", map[string]string{"demo": "io-download", "latency": "11s"},
			`latency="11s": want a duration from 0s to 10s`},
		{"latency below its least", map[string]string{"demo": "order", "latency": "0"},
			`latency="0": want a duration from 1ms to 10s`},
		{"latency finer than a millisecond", map[string]string{"demo": "io-download", "latency": "1500us"},
			`latency="1500us": want a duration from 0s to 10s`},
		{"timeout too long", map[string]string{"demo": "cpu-sumsq", "timeout": "11m"},
			`timeout="11m": want a duration from 0s to 10m0s`},
		{"cancel needs a timeout", map[string]string{"demo": "cancel", "timeout": "0"},
			`timeout="0": want a duration from 1ms to 10m0s`},
		{"chunk zero", map[string]string{"demo": "skew", "chunk": "0"},
			`chunk="0": want a whole number from 1 to 10000`},
		{"target not http", map[string]string{"demo": "io-download", "target": "ftp://example.com/x"},
			`target="ftp://example.com/x": want absolute http or https URLs, comma separated`},
		{"target relative", map[string]string{"demo": "pipeline", "target": "http://127.0.0.1:1/a,/b"},
			`target="/b": want absolute http or https URLs, comma separated`},
		{"target empty", map[string]string{"demo": "io-download", "target": ""},
			`target="": want absolute http or https URLs, comma separated`},
		{"target of a CPU demo", map[string]string{"demo": "cpu-sumsq", "target": "http://127.0.0.1:1/"},
			"target: demo cpu-sumsq downloads nothing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := demo.Parse(c.values)
			assert.EqualError(t, err, c.want)
		})
	}
	t.Run("too many targets", func(t *testing.T) {
		list := "http://127.0.0.1:1/0"
		for range 100 {
			list += ",http://127.0.0.1:1/0"
		}
		_, err := demo.Parse(map[string]string{"demo": "io-download", "target": list})
		assert.EqualError(t, err, "target: 101 URLs, want at most 100")
	})
}

func TestParseValues(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		check  func(t *testing.T, c demo.Config)
	}{
		{"defaults", map[string]string{"demo": "cpu-sumsq"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, []string{"sequential", "goroutines", "workers"}, c.Strategies)
			assert.Equal(t, 8, c.Tasks)
			assert.Equal(t, 2, c.K)
			assert.Equal(t, int64(1_000_000_000), c.Size)
			assert.Zero(t, c.Timeout)
		}},
		{"powers and separators", map[string]string{"demo": "cpu-sumsq", "size": "2e9", "tasks": "1_000"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, int64(2_000_000_000), c.Size)
			assert.Equal(t, 1000, c.Tasks)
		}},
		{"bounds are inclusive", map[string]string{"demo": "cpu-primes", "size": "4294967296", "workers": "32", "tasks": "1"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, int64(1<<32), c.Size)
			assert.Equal(t, 32, c.K)
		}},
		{"all", map[string]string{"demo": "skew", "strategy": "all"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, []string{"partition", "pool", "chunked"}, c.Strategies)
		}},
		{"repeats and spaces", map[string]string{"demo": "race", "strategy": "mutex, unsafe,mutex"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, []string{"mutex", "unsafe"}, c.Strategies)
		}},
		{"durations", map[string]string{"demo": "io-download", "latency": "1.5s", "timeout": "250"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, 1500*time.Millisecond, c.Latency)
			assert.Equal(t, 250*time.Millisecond, c.Timeout)
		}},
		{"targets", map[string]string{"demo": "io-download", "target": "http://127.0.0.1:1/a, https://example.com/b?x=1"}, func(t *testing.T, c demo.Config) {
			assert.Equal(t, []string{"http://127.0.0.1:1/a", "https://example.com/b?x=1"}, c.Targets)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := demo.Parse(c.values)
			require.NoError(t, err)
			c.check(t, cfg)
		})
	}
}

func TestParseQuery(t *testing.T) {
	cfg, err := demo.ParseQuery(url.Values{"demo": {"cpu-primes"}, "size": {"1000"}, "autorun": {"1"}, "theme": {"dark"}}, "autorun", "theme")
	require.NoError(t, err)
	assert.Equal(t, int64(1000), cfg.Size)

	_, err = demo.ParseQuery(url.Values{"demo": {"cpu-primes"}, "size": {"1000", "2000"}})
	assert.EqualError(t, err, "size: given 2 times, want once")
	_, err = demo.ParseQuery(url.Values{"demo": {"cpu-primes"}, "autorun": {"1"}})
	assert.EqualError(t, err, "autorun: demo cpu-primes has no such parameter; it has tasks, workers, size, timeout, runs")
}

func TestValuesRoundTrip(t *testing.T) {
	var configs []demo.Config
	for _, d := range demo.All() {
		configs = append(configs, d.Defaults())
		all, err := demo.Parse(map[string]string{"demo": d.ID, "strategy": "all"})
		require.NoError(t, err)
		configs = append(configs, all)
		// Every parameter at its bounds.
		for _, bound := range []func(demo.Param) int64{func(p demo.Param) int64 { return p.Min }, func(p demo.Param) int64 { return p.Max }} {
			values := map[string]string{"demo": d.ID}
			for _, p := range d.Params {
				values[p.Name] = strconv.FormatInt(bound(p), 10)
			}
			cfg, err := demo.Parse(values)
			require.NoError(t, err, "%v", values)
			configs = append(configs, cfg)
		}
	}
	withTargets, err := demo.Parse(map[string]string{"demo": "pipeline", "target": "http://127.0.0.1:8080/t/a?bytes=5,https://example.com/x", "latency": "250ms"})
	require.NoError(t, err)
	configs = append(configs, withTargets)

	for _, cfg := range configs {
		t.Run(cfg.Demo, func(t *testing.T) {
			back, err := demo.Parse(cfg.Values())
			require.NoError(t, err, "%v", cfg.Values())
			assert.Equal(t, cfg, back)

			q, err := url.ParseQuery(cfg.Query().Encode())
			require.NoError(t, err)
			back, err = demo.ParseQuery(q)
			require.NoError(t, err)
			assert.Equal(t, cfg, back)
		})
	}
}

// FuzzParseRoundTrip: whatever Parse accepts, its Values parse back to the
// same config; whatever it rejects, it says which name was wrong.
func FuzzParseRoundTrip(f *testing.F) {
	f.Add("cpu-sumsq", "all", "8", "2", "1e8", "", "0", "")
	f.Add("io-download", "sequential,pool", "20", "4", "", "100ms", "1s", "http://127.0.0.1:1/t/a?bytes=5")
	f.Add("skew", "chunked", "1_000", "32", "4294967296", "", "250", "")
	f.Add("order", "ordered", "0", "-1", "", "1.5s", "", "")
	f.Fuzz(func(t *testing.T, id, strategies, tasks, workers, size, latency, timeout, target string) {
		values := map[string]string{"demo": id, "strategy": strategies}
		for name, v := range map[string]string{"tasks": tasks, "workers": workers, "size": size, "latency": latency, "timeout": timeout, "target": target} {
			if v != "" {
				values[name] = v
			}
		}
		cfg, err := demo.Parse(values)
		if err != nil {
			named := false
			for name := range values {
				named = named || strings.HasPrefix(err.Error(), name)
			}
			if !named {
				t.Fatalf("error %q names none of %v", err, values)
			}
			return
		}
		back, err := demo.Parse(cfg.Values())
		if err != nil {
			t.Fatalf("Parse(%v) = %v", cfg.Values(), err)
		}
		if !reflect.DeepEqual(cfg, back) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v", cfg, back)
		}
	})
}

func TestParamText(t *testing.T) {
	cases := []struct {
		raw  string
		text string
		ok   bool
	}{
		{`"200ms"`, "200ms", true},
		{`1e8`, "1e8", true},
		{`-3`, "-3", true},
		{`2.5`, "2.5", true},
		{` 7 `, "7", true},
		{`1e999`, "", false},
		{`true`, "", false},
		{`null`, "", false},
		{`{"a":1}`, "", false},
		{`[1]`, "", false},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			text, ok := demo.ParamText(json.RawMessage(c.raw))
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.text, text)
		})
	}
}
