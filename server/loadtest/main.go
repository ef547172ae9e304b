// Command loadtest measures Lanes' server on loopback: it starts the server
// and a local upstream in this process, each on 127.0.0.1 with an ephemeral
// port, and drives them with Go clients, flat out and at a fixed rate, for
// a bounded time and number of requests. It prints requests a second,
// errors and latencies for a small built-in target, for the fetch proxy in
// front of the local upstream, and for that upstream fetched directly, so
// that the proxy's added median latency can be read off.
//
//	go run ./server/loadtest [-duration 3s] [-concurrency 32]
//
// The proxy's per-client limits (rate, fetches in flight) and the server's
// connections per client are lifted for the run (every request comes from
// 127.0.0.1, one client); everything else is as `lanes serve` has it. Nothing but 127.0.0.1 is ever dialled.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lanes/core/target"
	"lanes/server"
	"lanes/server/proxy"
)

func main() {
	duration := flag.Duration("duration", 3*time.Second, "how long each scenario runs, at most 30s")
	conc := flag.Int("concurrency", 32, "clients in flight in the flat-out scenarios, at most 512")
	targetRate := flag.Int("target-rate", 2500, "requests a second in the fixed-rate target scenario")
	proxyRate := flag.Int("proxy-rate", 2000, "requests a second in the fixed-rate proxy and direct scenarios")
	maxReq := flag.Int("max-requests", 200_000, "requests per scenario, at most")
	flag.Parse()
	if *duration <= 0 || *duration > 30*time.Second || *conc < 1 || *conc > 512 || *maxReq < 1 || *maxReq > 1_000_000 ||
		*targetRate < 1 || *proxyRate < 1 {
		fmt.Fprintln(os.Stderr, "loadtest: flags out of bounds (duration ≤ 30s, concurrency ≤ 512, max-requests ≤ 1e6)")
		os.Exit(2)
	}
	if err := run(*duration, *conc, *targetRate, *proxyRate, *maxReq); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(d time.Duration, conc, targetRate, proxyRate, maxReq int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

	upLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var upConns, srvConns atomic.Int64
	up := &http.Server{Handler: target.Handler(), ReadHeaderTimeout: 5 * time.Second, ConnState: countNew(&upConns)}
	go up.Serve(upLn)
	defer up.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	h, err := server.New(server.Config{
		AllowAddrs: []string{upLn.Addr().String()},
		Proxy:      proxy.Options{Rate: 1e9, Burst: 1 << 30, InFlight: 1024, PerClient: 1024},
		Log:        log,
	})
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() {
		lim := server.Limits{Conns: 1 << 16, ConnsPerClient: 1 << 16} // every request comes from 127.0.0.1
		served <- server.ServeLimited(ctx, countingListener{ln, &srvConns}, h, log, lim)
	}()

	base := "http://" + ln.Addr().String()
	small := target.URL(target.SmallName, target.SmallBytes, 0)
	upstream := "http://" + upLn.Addr().String() + small
	viaProxy := base + "/proxy?url=" + url.QueryEscape(upstream)

	fmt.Printf("lanes loadtest: %s, GOMAXPROCS %d, %d CPUs, each scenario %v or %d requests\n",
		runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), d, maxReq)
	fmt.Printf("server %s, upstream %s, body %d bytes\n\n", base, upLn.Addr(), target.SmallBytes)
	fmt.Printf("%-34s %10s %8s %9s %9s %9s %7s\n", "scenario", "req/s", "errors", "p50", "p90", "p99", "conns")

	c := newClient(conc)
	warm(c, base+small)
	warm(c, viaProxy)
	warm(c, upstream)
	scenarios := []struct {
		name string
		url  string
		rate int // 0: flat out
	}{
		{"target /t/dice, flat out", base + small, 0},
		{fmt.Sprintf("target /t/dice, %d/s", targetRate), base + small, targetRate},
		{"proxy → upstream, flat out", viaProxy, 0},
		{"upstream direct, flat out", upstream, 0},
		{fmt.Sprintf("proxy → upstream, %d/s", proxyRate), viaProxy, proxyRate},
		{fmt.Sprintf("upstream direct, %d/s", proxyRate), upstream, proxyRate},
	}
	results := map[string]result{}
	for _, s := range scenarios {
		var r result
		conns0 := srvConns.Load() + upConns.Load()
		if s.rate == 0 {
			r = flatOut(c, s.url, conc, d, maxReq)
		} else {
			r = fixedRate(c, s.url, s.rate, d, maxReq)
		}
		results[s.name] = r
		fmt.Printf("%-34s %10.0f %8d %9s %9s %9s %7d\n", s.name, r.rate(), r.errors, ms(r.pct(50)), ms(r.pct(90)), ms(r.pct(99)),
			srvConns.Load()+upConns.Load()-conns0)
	}
	added := results[scenarios[4].name].pct(50) - results[scenarios[5].name].pct(50)
	addedFlat := results[scenarios[2].name].pct(50) - results[scenarios[3].name].pct(50)
	fmt.Printf("\nproxy's added median latency: %s at %d/s, %s flat out (%d in flight)\n", ms(added), proxyRate, ms(addedFlat), conc)
	fmt.Printf("goals: target ≥ 5000 req/s with 0 errors; proxy ≥ 2000 req/s; added median ≤ 2 ms\n")

	cancel()
	return <-served
}

func newClient(conc int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if !strings.HasPrefix(addr, "127.0.0.1:") {
					return nil, fmt.Errorf("loadtest dials loopback only, not %s", addr)
				}
				return d.DialContext(ctx, network, addr)
			},
			// Keep every connection a burst opens, so that falling behind
			// does not turn into opening and closing connections.
			MaxIdleConns:        2 * maxInFlight,
			MaxIdleConnsPerHost: maxInFlight,
			DisableCompression:  true,
		},
	}
}

// warm opens maxInFlight connections through u and leaves them idle, so
// that no scenario pays for opening them.
func warm(c *http.Client, u string) {
	var wg sync.WaitGroup
	for range maxInFlight {
		wg.Go(func() {
			for range 4 {
				get(c, u)
			}
		})
	}
	wg.Wait()
}

// get fetches u and reads its body; a status other than 200 is an error.
func get(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

type result struct {
	took    time.Duration
	n       int
	errors  int64
	latency []time.Duration
}

func (r result) rate() float64 { return float64(r.n) / r.took.Seconds() }

func (r result) pct(p int) time.Duration {
	if len(r.latency) == 0 {
		return 0
	}
	return r.latency[(len(r.latency)-1)*p/100]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d.Microseconds())/1000) }

// flatOut keeps conc requests in flight until d passes or max are done.
func flatOut(c *http.Client, u string, conc int, d time.Duration, max int) result {
	var next atomic.Int64
	var errs atomic.Int64
	lat := make([][]time.Duration, conc)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			for next.Add(1) <= int64(max) && time.Now().Before(deadline) {
				t := time.Now()
				if err := get(c, u); err != nil {
					errs.Add(1)
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		})
	}
	wg.Wait()
	return finish(time.Since(start), lat, errs.Load())
}

// maxInFlight bounds the requests a fixed-rate scenario has in flight:
// past it, the next request waits for a free slot, and its lateness shows
// in its latency, rather than in ever more connections.
const maxInFlight = 64

// fixedRate starts a request every 1/rate seconds, whether or not earlier
// ones are done (an open loop), and times each from when it was due, so a
// server that falls behind shows it in the latencies.
func fixedRate(c *http.Client, u string, rate int, d time.Duration, max int) result {
	n := min(max, int(d.Seconds()*float64(rate)))
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, n)
	var errs atomic.Int64
	sem := make(chan struct{}, maxInFlight)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := get(c, u); err != nil {
				errs.Add(1)
			}
			lat[i] = time.Since(due)
		})
	}
	wg.Wait()
	return finish(time.Since(start), [][]time.Duration{lat}, errs.Load())
}

func finish(took time.Duration, lat [][]time.Duration, errs int64) result {
	all := slices.Concat(lat...)
	slices.Sort(all)
	return result{took: took, n: len(all), errors: errs, latency: all}
}

// countNew counts the connections a server accepts.
func countNew(n *atomic.Int64) func(net.Conn, http.ConnState) {
	return func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}
