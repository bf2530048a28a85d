// Command proxy measures errbridge's egress proxy against a bare
// net/http/httputil.ReverseProxy in front of the same fake Tencent Meeting
// upstream (package proxytest), in one run, and prints a Markdown table.
//
// Run it from the module root:
//
//	go run ./bench/proxy                        # 25 rounds × 4 rows, 1 s each (about 2 minutes)
//	go run ./bench/proxy --duration 10s --rounds 3 --concurrency 8
//
// Everything runs in one process on loopback: the upstream, the two proxies
// (each on an http.Server of its own) and the load generator, a fixed
// number of workers that each send one request at a time over kept-alive
// connections and record every latency. Both proxies get the same
// transport to the upstream (the same idle-connection pool, no
// compression), a pool of 16 KiB copy buffers, and stream with
// FlushInterval -1, so the difference is what
// errbridge adds: the inspection of each response, the translation, the
// headers, the metrics and the log line.
//
// Each round runs four short rows back to back, in an order that alternates
// from round to round, so that the rows compared were measured within
// seconds of each other; many short rounds rather than a few long ones
// keep a busy machine's drift out of the ratios. The rows are the success
// path (a 2xx JSON body of 110 bytes) and the error path (a rate limit,
// HTTP 400 with a body of 120 bytes) through each proxy. It
// reports requests/s, p50 and p99 per row, the medians over the rounds, and
// the targets: errbridge ≥ 0.95 × the bare proxy's requests/s and p50
// within +50 µs on the success path, and the error path at most +20 µs p50
// over the success path. It also gives the CPU time the whole process
// (client, proxy and upstream) spent per request in each row: the
// difference between the two proxies' rows is what errbridge adds, and it
// is steadier than latency on a busy machine. Targets missed are marked,
// and do not fail the run; a request that fails does.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/prometheus/client_golang/prometheus"
)

// config is the command line.
type config struct {
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	concurrency int
}

func main() {
	var c config
	flag.DurationVar(&c.duration, "duration", time.Second, "how long each row runs")
	flag.DurationVar(&c.warmup, "warmup", 200*time.Millisecond, "how long each row runs first, unmeasured")
	flag.IntVar(&c.rounds, "rounds", 25, "how many rounds of the four rows")
	flag.IntVar(&c.concurrency, "concurrency", 2, "how many workers send requests at once")
	flag.Parse()
	if c.duration <= 0 || c.rounds <= 0 || c.concurrency <= 0 || c.warmup < 0 {
		fmt.Fprintln(os.Stderr, "bench/proxy: --duration, --rounds and --concurrency must be positive")
		os.Exit(2)
	}
	rep, err := run(context.Background(), c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/proxy:", err)
		os.Exit(1)
	}
	fmt.Print(rep.markdown())
}

// row is one measured configuration.
type row struct {
	proxy string // "bare" or "errbridge"
	path  string // "success" or "error"
}

var rows = []row{{"bare", "success"}, {"errbridge", "success"}, {"bare", "error"}, {"errbridge", "error"}}

// result is one row of one round.
type result struct {
	requests int
	rps      float64
	cpu      time.Duration // the process's CPU time per request

	p50, p99      time.Duration
	errbridgeSeen bool // the error row carried X-Errbridge-Reason
}

// report is every round's results.
type report struct {
	cfg     config
	results map[row][]result
	start   string
	end     string
}

// run starts the upstream and both proxies and measures every row.
func run(ctx context.Context, c config) (*report, error) {
	rep := &report{cfg: c, results: make(map[row][]result), start: loadAverage()}
	upstream, err := serve(proxytest.NewUpstream())
	if err != nil {
		return nil, err
	}
	defer upstream.Close()
	upURL, _ := url.Parse("http://" + upstream.Addr)

	bareTransport, ourTransport := newTransport(), newTransport()
	bare := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(upURL) },
		Transport:     bareTransport,
		FlushInterval: -1,
		BufferPool:    &bufferPool{},
	}
	ours, err := proxy.New(upURL.String(),
		proxy.WithTransport(ourTransport),
		proxy.WithMetricsRegistry(prometheus.NewRegistry()),
		proxy.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
	if err != nil {
		return nil, err
	}
	servers := map[string]*http.Server{}
	for name, h := range map[string]http.Handler{"bare": bare, "errbridge": ours} {
		s, err := serve(h)
		if err != nil {
			return nil, err
		}
		defer s.Close()
		servers[name] = s
	}
	paths := map[string]string{"success": proxytest.OKPath, "error": proxytest.CodePath + "rest/190310"}
	for round := 0; round < c.rounds; round++ {
		order := slices.Clone(rows)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, r := range order {
			target := "http://" + servers[r.proxy].Addr + paths[r.path]
			if c.warmup > 0 {
				if _, err := drive(ctx, target, c.concurrency, c.warmup); err != nil {
					return nil, err
				}
			}
			res, err := drive(ctx, target, c.concurrency, c.duration)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", r.proxy, r.path, err)
			}
			if r.path == "error" && r.proxy == "errbridge" && !res.errbridgeSeen {
				return nil, errors.New("errbridge's error row lacks X-Errbridge-Reason")
			}
			rep.results[r] = append(rep.results[r], res)
		}
	}
	rep.end = loadAverage()
	return rep, nil
}

// bufferPool lends the bare proxy 16 KiB copy buffers, as errbridge's own
// pool does: without one, ReverseProxy allocates 32 KiB per response, and
// the bare proxy would lose to errbridge on garbage collection alone.
type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte {
	if v, ok := b.p.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, 16<<10)
}

func (b *bufferPool) Put(buf []byte) { b.p.Put(&buf) }

// newTransport is the transport both proxies use to the upstream.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   true,
	}
}

// serve serves h on a free loopback port.
func serve(h http.Handler) (*http.Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &http.Server{Handler: h, Addr: lis.Addr().String(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.Serve(lis) }()
	return s, nil
}

// drive sends GET target from n workers for d and measures every request.
func drive(ctx context.Context, target string, n int, d time.Duration) (result, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	lat := make([][]time.Duration, n)
	errs := make([]error, n)
	seen := make([]bool, n)
	var wg sync.WaitGroup
	cpu0 := processCPU()
	start := time.Now()
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 4096)
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequest(http.MethodGet, target, nil)
				resp, err := client.Do(req)
				if err != nil {
					errs[w] = err
					return
				}
				for {
					if _, err := resp.Body.Read(buf); err != nil {
						break
					}
				}
				resp.Body.Close()
				lat[w] = append(lat[w], time.Since(t0))
				seen[w] = seen[w] || resp.Header.Get(proxy.HeaderReason) != ""
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
					errs[w] = fmt.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	if err := errors.Join(errs...); err != nil {
		return result{}, err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return result{}, errors.New("no request completed")
	}
	slices.Sort(all)
	return result{
		requests:      len(all),
		rps:           float64(len(all)) / elapsed.Seconds(),
		cpu:           cpu / time.Duration(len(all)),
		p50:           all[len(all)/2],
		p99:           all[len(all)*99/100],
		errbridgeSeen: slices.Contains(seen, true),
	}, nil
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is /proc/loadavg's first three fields, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// median of a row's values over the rounds.
func median[T int | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// roundValues computes a target's value in each round, from rows measured
// in that round.
func (r *report) roundValues(f func(i int) float64) []float64 {
	out := make([]float64, r.cfg.rounds)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %d CPUs, %s, %s/%s; load average %s at the start, %s at the end.\n",
		runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, r.start, r.end)
	fmt.Fprintf(&b, "%d rounds, %d workers, %v per row after a %v warm-up; medians over the rounds.\n\n",
		r.cfg.rounds, r.cfg.concurrency, r.cfg.duration, r.cfg.warmup)
	b.WriteString("| proxy | path | requests/s | p50 | p99 | CPU/request | requests |\n|---|---|--:|--:|--:|--:|--:|\n")
	for _, row := range rows {
		res := r.results[row]
		var rps []float64
		var p50, p99 []time.Duration
		var cpu []time.Duration
		var n []int
		for _, x := range res {
			rps, p50, p99, n = append(rps, x.rps), append(p50, x.p50), append(p99, x.p99), append(n, x.requests)
			cpu = append(cpu, x.cpu)
		}
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %s | %d |\n", row.proxy, row.path, median(rps), us(median(p50)), us(median(p99)), us(median(cpu)), median(n))
	}
	get := func(p, path string, i int) result { return r.results[row{p, path}][i] }
	targets := []struct {
		name   string
		values []float64
		goal   string
		met    func(float64) bool
		format string
	}{
		{"success: errbridge ÷ bare requests/s", r.roundValues(func(i int) float64 {
			return get("errbridge", "success", i).rps / get("bare", "success", i).rps
		}), "≥ 0.95", func(v float64) bool { return v >= 0.95 }, "%.3f"},
		{"success: errbridge − bare p50 (µs)", r.roundValues(func(i int) float64 {
			return float64(get("errbridge", "success", i).p50-get("bare", "success", i).p50) / 1e3
		}), "≤ +50", func(v float64) bool { return v <= 50 }, "%+.1f"},
		{"errbridge: error − success p50 (µs)", r.roundValues(func(i int) float64 {
			return float64(get("errbridge", "error", i).p50-get("errbridge", "success", i).p50) / 1e3
		}), "≤ +20", func(v float64) bool { return v <= 20 }, "%+.1f"},
		{"CPU per request: errbridge − bare, success (µs)", r.roundValues(func(i int) float64 {
			return float64(get("errbridge", "success", i).cpu-get("bare", "success", i).cpu) / 1e3
		}), "", nil, "%+.1f"},
		{"CPU per request: errbridge − bare, error (µs)", r.roundValues(func(i int) float64 {
			return float64(get("errbridge", "error", i).cpu-get("bare", "error", i).cpu) / 1e3
		}), "", nil, "%+.1f"},
		{"error: errbridge − bare p50 (µs), for reference", r.roundValues(func(i int) float64 {
			return float64(get("errbridge", "error", i).p50-get("bare", "error", i).p50) / 1e3
		}), "", nil, "%+.1f"},
	}
	b.WriteString("\n| target | median | middle half of the rounds | goal | met |\n|---|--:|---|---|---|\n")
	for _, t := range targets {
		sorted := slices.Clone(t.values)
		slices.Sort(sorted)
		spread := fmt.Sprintf(t.format+" to "+t.format, sorted[len(sorted)/4], sorted[(3*len(sorted)-1)/4])
		m := median(t.values)
		met := ""
		if t.met != nil {
			met = "yes"
			if !t.met(m) {
				met = "**no**"
			}
		}
		fmt.Fprintf(&b, "| %s | "+t.format+" | %s | %s | %s |\n", t.name, m, spread, t.goal, met)
	}
	return b.String()
}

// us formats a duration in microseconds.
func us(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d)/1e3) }
