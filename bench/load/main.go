// Command load is errbridge's load harness: it builds the server, drives it
// with ghz over loopback, and prints one Markdown table comparing an empty
// unary RPC, Translate and TranslateBatch on the same server.
//
// Run it from the module root:
//
//	go run ./bench/load                  # the table: 3 rounds of 6 rows, 10 s each
//	go run ./bench/load --soak 10m       # the table, then a 10-minute soak
//	go run ./bench/load --json out.json  # also write everything measured as JSON
//
// It builds cmd/errbridge into a temporary directory and starts it on a free
// 127.0.0.1 port with its default limits (plus --metrics-listen on another
// free port, for the runtime counters, and any --server-args), and waits for
// grpc.health.v1 to say SERVING. It installs the pinned ghz with go install
// into the user cache directory the first time, and runs it by path.
//
// Each round runs six rows back to back, with the same ghz settings
// (--concurrency, --connections, --duration after a --warmup run of the
// same call):
//
//   - empty: grpc.health.v1.Health/Check with {}, the cheapest unary RPC
//     the server has, through the same interceptors as every call;
//   - Translate: a data file of --messages requests that ghz sends in turn,
//     a fixed mix of catalogued REST codes (rate limits among them), OAuth
//     codes, unknown codes and malformed bodies (truncated JSON, gateway
//     HTML, empty and plain-text bodies) in several locales;
//   - canned: the Translate row on bench/canned, a grpc-go server that
//     answers each request with precomputed bytes;
//   - TranslateBatch: the same mix, --batch-size bodies per call, counted
//     in bodies/s;
//   - canned empty: the empty row on bench/canned;
//   - canned batch: the TranslateBatch row on bench/canned.
//
// For each row it reports requests/s, bodies/s, p50 and p99, errors, and
// what the server spent per call: CPU time (from /proc/<pid>/stat), heap
// allocations and bytes (from its Go runtime counters), and its RSS after
// the row with the row's own peak (VmHWM, reset before each row through
// /proc/<pid>/clear_refs). The rows of every round yield the ratios
// (Translate ÷ empty requests/s and p50, batch ÷ Translate bodies/s), whose
// medians over the rounds are compared with the targets, and the same
// targets computed from the server's CPU time per call: ghz runs on the
// same cores and spends more CPU per call than the server does, so the
// requests/s ratios measure ghz as much as errbridge. It also reports the
// server's RSS once SERVING and its peak, and the machine (CPUs, CPU model,
// Go version, load average at the start and the end).
//
// With --soak D it then starts a fresh server and runs Translate on it at
// --soak-rate (70 %) of the median Translate requests/s just measured, for
// D, as one ghz run per --sample interval (30 s; ghz keeps the latencies of
// its first million calls only), and reports requests, errors, p50 and p99
// per interval and overall, with the server's RSS after each interval.
// Then, for reference, it runs the empty RPC at the same rate on the same
// server for one interval: the latency spread that the machine and ghz give
// the cheapest call the server has.
//
// --write-data DIR only writes the ghz data files, for running ghz by hand.
// --server-bin runs a given errbridge binary instead of building one, to
// compare two builds run after run.
//
// It exits non-zero when the server does not start, ghz fails, or any call
// of any row or of the soak fails; missed performance targets are marked in
// the table but do not fail the run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/server/service"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/proto"
)

// config is the command line.
type config struct {
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	connections int
	rounds      int
	jsonOut     string
	soak        time.Duration
	soakRate    float64
	sample      time.Duration
	serverArgs  string
	serverEnv   string
	ghzPath     string
	serverBin   string
	messages    int
	batchSize   int
	metrics     bool
	writeData   string
}

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each row is measured")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "a run of the same call before each row, not counted (0 skips it)")
	fs.IntVar(&c.concurrency, "concurrency", 50, "ghz workers (concurrent calls) of every row")
	fs.IntVar(&c.connections, "connections", 1, "ghz connections of every row")
	fs.IntVar(&c.rounds, "rounds", 3, "how many times the three rows run back to back; the table shows medians")
	fs.StringVar(&c.jsonOut, "json", "", "also write everything measured to this `file`, as JSON")
	fs.DurationVar(&c.soak, "soak", 0, "after the table, run Translate at --soak-rate of its measured maximum for this long (e.g. 10m)")
	fs.Float64Var(&c.soakRate, "soak-rate", 0.7, "the soak's rate, as a fraction of the measured Translate requests/s")
	fs.DurationVar(&c.sample, "sample", 30*time.Second, "the soak's sampling interval: one ghz run and one RSS reading each")
	fs.StringVar(&c.serverArgs, "server-args", "", "extra arguments of errbridge serve, split at spaces")
	fs.StringVar(&c.serverEnv, "server-env", "", "extra environment of the server, NAME=VALUE pairs split at spaces (e.g. GOMEMLIMIT=48MiB)")
	fs.StringVar(&c.ghzPath, "ghz", "", "use this ghz binary instead of installing "+ghzVersion)
	fs.StringVar(&c.serverBin, "server-bin", "", "run this errbridge `binary` instead of building ./cmd/errbridge (to compare two builds)")
	fs.IntVar(&c.messages, "messages", 1000, "how many different requests the Translate data file holds")
	fs.IntVar(&c.batchSize, "batch-size", 100, "bodies per TranslateBatch call")
	fs.BoolVar(&c.metrics, "server-metrics", true, "serve the server's metrics on a loopback port, for allocations per call")
	fs.StringVar(&c.writeData, "write-data", "", "only write the ghz data files (translate.json, batch.json) into this `directory`, and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench/load [flags]\n\nLoad-tests errbridge with ghz and prints a Markdown table.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case c.duration < time.Second:
		return nil, errors.New("--duration must be at least 1s")
	case c.warmup < 0:
		return nil, errors.New("--warmup must not be negative")
	case c.concurrency < 1 || c.connections < 1 || c.connections > c.concurrency:
		return nil, errors.New("--concurrency and --connections must be positive, with no more connections than workers")
	case c.rounds < 1:
		return nil, errors.New("--rounds must be positive")
	case c.soak < 0 || c.soak > 0 && c.soak < time.Second:
		return nil, errors.New("--soak must be 0 or at least 1s")
	case c.soakRate <= 0 || c.soakRate > 1:
		return nil, errors.New("--soak-rate must be in (0, 1]")
	case c.sample < time.Second:
		return nil, errors.New("--sample must be at least 1s")
	case c.messages < 1 || c.batchSize < 1:
		return nil, errors.New("--messages and --batch-size must be positive")
	}
	for _, kv := range strings.Fields(c.serverEnv) {
		if name, _, ok := strings.Cut(kv, "="); !ok || name == "" {
			return nil, fmt.Errorf("--server-env: %q is not NAME=VALUE", kv)
		}
	}
	return c, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "load: %v\n", err)
		os.Exit(2)
	}
	if cfg.writeData != "" {
		if _, _, err := prepareRows(cfg, cfg.writeData); err != nil {
			fmt.Fprintf(os.Stderr, "load: %v\n", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "load: FAILED: %v\n", err)
		stop()
		os.Exit(1)
	}
}

// runEnv is what the rows share.
type runEnv struct {
	ghz        string
	dir        string
	srv        *server
	canned     *server // the canned baseline server
	cfg        *config
	logf       func(string, ...any)
	peakResets bool // whether VmHWM could be reset before each row
}

// rowDef is one row of the table, before it is measured.
type rowDef struct {
	name, input string
	run         ghzRun
	bodies      int
	reqBytes    float64
	respBytes   float64
	canned      bool // measured on the canned server
}

// Places among the rows: the canned row's, and the batch row's; the canned
// server answers their data files.
const (
	rowIndexCanned = 2
	rowIndexBatch  = 3
)

func run(ctx context.Context, cfg *config) (err error) {
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	rep := &report{Machine: readMachine()}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "errbridge-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	ghz := cfg.ghzPath
	if ghz == "" {
		if ghz, err = ensureGhz(ctx, logf); err != nil {
			return err
		}
	}
	bin := cfg.serverBin
	if bin == "" {
		logf("building ./cmd/errbridge")
		if bin, err = buildServer(ctx, root, dir, "./cmd/errbridge"); err != nil {
			return err
		}
	}
	logf("building ./bench/canned")
	cannedBin, err := buildServer(ctx, root, dir, "./bench/canned")
	if err != nil {
		return err
	}
	defs, mixText, err := prepareRows(cfg, dir)
	if err != nil {
		return err
	}
	rep.Settings = settings{
		Ghz: ghzVersion, Duration: cfg.duration.String(), Warmup: cfg.warmup.String(),
		Concurrency: cfg.concurrency, Connections: cfg.connections, Rounds: cfg.rounds,
		Messages: cfg.messages, BatchSize: cfg.batchSize, Mix: mixText, ServerArgs: cfg.serverArgs, ServerEnv: cfg.serverEnv,
		ServerBin: cfg.serverBin,
	}
	if cfg.ghzPath != "" {
		rep.Settings.Ghz = "at " + cfg.ghzPath
		if v := ghzBinaryVersion(cfg.ghzPath); v != "" {
			rep.Settings.Ghz = v
		}
	}

	startSrv := func() (*server, error) {
		srv, err := startServer(ctx, bin, dir, strings.Fields(cfg.serverArgs), strings.Fields(cfg.serverEnv), cfg.metrics)
		if err != nil {
			return nil, err
		}
		logf("server pid %d serving on %s", srv.pid(), srv.addr)
		return srv, nil
	}
	srv, err := startSrv()
	if err != nil {
		return err
	}
	defer func() { srv.stop() }()
	if rep.Memory.RSSStart, rep.Memory.Peak, err = memStatus(srv.pid()); err != nil {
		return err
	}
	canned, err := startCanned(ctx, cannedBin, dir, defs[rowIndexCanned].run.DataFile, defs[rowIndexBatch].run.DataFile, strings.Fields(cfg.serverEnv))
	if err != nil {
		return err
	}
	defer func() { canned.stop() }()
	logf("canned server pid %d serving on %s", canned.pid(), canned.addr)
	env := &runEnv{ghz: ghz, dir: dir, srv: srv, canned: canned, cfg: cfg, logf: logf}

	for i := range cfg.rounds {
		var rd round
		for _, d := range defs {
			logf("round %d/%d: %s", i+1, cfg.rounds, d.name)
			r, err := measureRow(ctx, env, d)
			if err != nil {
				return err
			}
			rd.Rows = append(rd.Rows, r)
			rep.Memory.Peak = max(rep.Memory.Peak, r.PeakAfter)
		}
		rep.Rounds = append(rep.Rounds, rd)
	}
	rep.Rows = medians(rep.Rounds)
	rep.Ratios = computeRatios(rep.Rounds)
	rss, peak, err := memStatus(srv.pid())
	if err != nil {
		return err
	}
	rep.Memory.RSSEnd, rep.Memory.Peak = rss, max(rep.Memory.Peak, peak)
	rep.Memory.PeakResettable = env.peakResets
	srv.stop()
	canned.stop()

	var failures []string
	for _, r := range rep.Rows {
		if r.Errors > 0 {
			failures = append(failures, fmt.Sprintf("%d %s calls failed: %s", r.Errors, r.Name, r.ErrorSummary))
		}
	}
	if cfg.soak > 0 {
		// A server of its own, so that its RSS is the soak's alone.
		if srv, err = startSrv(); err != nil {
			return err
		}
		env.srv = srv
		rep.Settings.SoakRate = cfg.soakRate
		var maxRPS float64
		for _, r := range rep.Rows {
			if r.Name == rowTranslate {
				maxRPS = r.CallsPerSec
			}
		}
		soak, err := runSoak(ctx, env, defs[1].run, maxRPS, cfg.soakRate, cfg.soak, cfg.sample)
		if err != nil {
			return err
		}
		if err := runReference(ctx, env, defs[0].run, soak, min(cfg.sample, cfg.soak)); err != nil {
			return err
		}
		srv.stop()
		rep.Soak = soak
		if soak.Errors > 0 {
			failures = append(failures, fmt.Sprintf("%d soak calls failed: %s", soak.Errors, soak.ErrorSummary))
		}
		if r := soak.Reference; r.Errors > 0 {
			failures = append(failures, fmt.Sprintf("%d calls of the soak's reference run failed", r.Errors))
		}
	}
	rep.Machine.LoadEnd = loadAverage()

	rep.writeMarkdown(os.Stdout)
	if cfg.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
		logf("wrote %s", cfg.jsonOut)
	}
	if len(failures) > 0 {
		return errors.New(strings.Join(failures, "; "))
	}
	return nil
}

// prepareRows writes the data files (creating dir if need be) and describes
// the rows.
func prepareRows(cfg *config, dir string) ([]rowDef, string, error) {
	m, err := newMix(catalog.Default(), cfg.messages)
	if err != nil {
		return nil, "", err
	}
	single, err := m.translateData()
	if err != nil {
		return nil, "", err
	}
	batch, err := m.batchData(cfg.batchSize)
	if err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", err
	}
	singleFile := filepath.Join(dir, "translate.json")
	batchFile := filepath.Join(dir, "batch.json")
	if err := os.WriteFile(singleFile, single, 0o644); err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(batchFile, batch, 0o644); err != nil {
		return nil, "", err
	}
	sizes, err := messageSizes(m, cfg.batchSize)
	if err != nil {
		return nil, "", err
	}
	base := ghzRun{Duration: cfg.duration, Concurrency: cfg.concurrency, Connections: cfg.connections}
	empty, tr, tb := base, base, base
	empty.Call, empty.Data = "grpc.health.v1.Health/Check", "{}"
	tr.Call, tr.DataFile = "errbridge.v1.TranslatorService/Translate", singleFile
	tb.Call, tb.DataFile = "errbridge.v1.TranslatorService/TranslateBatch", batchFile
	defs := []rowDef{
		{name: rowEmpty, input: "`grpc.health.v1.Health/Check` `{}` (empty unary RPC)", run: empty, bodies: 1,
			reqBytes: sizes.emptyReq, respBytes: sizes.emptyResp},
		{name: rowTranslate, input: fmt.Sprintf("`Translate`, mix of %s requests", thousands(float64(len(m.Samples)))), run: tr, bodies: 1,
			reqBytes: sizes.req, respBytes: sizes.resp},
		{name: rowCanned, input: "`Translate`, same mix, on the canned server (precomputed answers)", run: tr, bodies: 1,
			reqBytes: sizes.req, respBytes: sizes.resp, canned: true},
		{name: rowBatch, input: fmt.Sprintf("`TranslateBatch`, %d bodies per call, same mix", cfg.batchSize), run: tb, bodies: cfg.batchSize,
			reqBytes: sizes.batchReq, respBytes: sizes.batchResp},
		{name: rowCannedEmpty, input: "`grpc.health.v1.Health/Check` `{}` on the canned server", run: empty, bodies: 1,
			reqBytes: sizes.emptyReq, respBytes: sizes.emptyResp, canned: true},
		{name: rowCannedBatch, input: fmt.Sprintf("`TranslateBatch`, %d bodies per call, same mix, on the canned server", cfg.batchSize), run: tb, bodies: cfg.batchSize,
			reqBytes: sizes.batchReq, respBytes: sizes.batchResp, canned: true},
	}
	return defs, m.describe(), nil
}

// sizes are the mean encoded sizes of the rows' messages.
type sizes struct {
	emptyReq, emptyResp float64
	req, resp           float64
	batchReq, batchResp float64
}

// messageSizes encodes the mix's requests and their responses, computed by
// the service in process, and averages their sizes.
func messageSizes(m *mix, batchSize int) (sizes, error) {
	var s sizes
	s.emptyReq = float64(proto.Size(&healthpb.HealthCheckRequest{}))
	s.emptyResp = float64(proto.Size(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}))
	svc, err := service.New(nil)
	if err != nil {
		return s, err
	}
	ctx := context.Background()
	for _, smp := range m.Samples {
		resp, err := svc.Translate(ctx, smp.Req)
		if err != nil {
			return s, fmt.Errorf("the mix holds an invalid request: %w", err)
		}
		s.req += float64(proto.Size(smp.Req))
		s.resp += float64(proto.Size(resp))
	}
	s.req /= float64(len(m.Samples))
	s.resp /= float64(len(m.Samples))
	bs := m.batches(batchSize)
	for _, b := range bs {
		resp, err := svc.TranslateBatch(ctx, b)
		if err != nil {
			return s, err
		}
		s.batchReq += float64(proto.Size(b))
		s.batchResp += float64(proto.Size(resp))
	}
	s.batchReq /= float64(len(bs))
	s.batchResp /= float64(len(bs))
	return s, nil
}

// measureRow warms up, then runs one row and measures what the server and
// ghz spent on it.
func measureRow(ctx context.Context, env *runEnv, d rowDef) (row, error) {
	r := row{Name: d.name, Call: d.run.Call, Input: d.input, BodiesPerCall: d.bodies, RequestBytes: d.reqBytes, ResponseBytes: d.respBytes}
	srv, metrics := env.srv, env.cfg.metrics
	if d.canned {
		srv, metrics = env.canned, false
	}
	env.peakResets = resetPeak(srv.pid())
	if env.cfg.warmup > 0 {
		w := d.run
		w.Duration = env.cfg.warmup
		out, err := runGhz(ctx, env.ghz, env.dir, srv.addr, w)
		if err != nil {
			return r, fmt.Errorf("warm-up of %s: %w", d.name, err)
		}
		if n := out.Report.errors(); n > 0 {
			return r, fmt.Errorf("warm-up of %s: %d calls failed: %s", d.name, n, out.Report.errorSummary())
		}
	}
	pid := srv.pid()
	var before, after *runtimeStats
	if metrics {
		st, err := srv.scrape(ctx)
		if err != nil {
			return r, fmt.Errorf("scraping the server's metrics: %w", err)
		}
		before = &st
	}
	cpu0, err := cpuTime(pid)
	if err != nil {
		return r, err
	}
	out, err := runGhz(ctx, env.ghz, env.dir, srv.addr, d.run)
	if err != nil {
		return r, err
	}
	cpu1, err := cpuTime(pid)
	if err != nil {
		return r, err
	}
	if metrics {
		st, err := srv.scrape(ctx)
		if err != nil {
			return r, fmt.Errorf("scraping the server's metrics: %w", err)
		}
		after = &st
	}
	if err := srv.alive(); err != nil {
		return r, err
	}
	if r.RSSAfter, r.PeakAfter, err = memStatus(pid); err != nil {
		return r, err
	}
	r.fillFromReport(out.Report)
	r.fillServerCost(cpu1-cpu0, out.CPU, before, after)
	env.logf("  %s: %s requests/s, p50 %s, p99 %s, %d errors; server %.0f µs CPU and %.0f allocs per call",
		d.name, thousands(r.CallsPerSec), fmtMs(r.P50Ms), fmtMs(r.P99Ms), r.Errors, r.ServerCPUus, r.ServerAllocs)
	return r, nil
}
