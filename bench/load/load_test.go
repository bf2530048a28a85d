package main

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// These tests check the harness's pieces that need no load: parsing ghz's
// report, the statistics and ratios, the /proc and metrics readers, and the
// generated workload. Nothing here starts a server or measures time.

func readFixture(t *testing.T) *ghzReport {
	t.Helper()
	raw, err := os.ReadFile("testdata/ghz-report.json")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := parseGhzReport(raw)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The fixture is a real ghz v0.121.0 report: 12 Translate calls cycling
// through three messages, one of them invalid (http_status 0).
func TestParseGhzReport(t *testing.T) {
	rep := readFixture(t)
	if rep.Count != 12 || rep.errors() != 4 {
		t.Fatalf("count %d, errors %d; want 12 and 4", rep.Count, rep.errors())
	}
	if len(rep.Details) != 12 || len(rep.latencies()) != 8 {
		t.Fatalf("%d details, %d successful latencies; want 12 and 8", len(rep.Details), len(rep.latencies()))
	}
	if s := rep.errorSummary(); !strings.HasPrefix(s, "4× rpc error: code = InvalidArgument") {
		t.Errorf("error summary %q", s)
	}
	// Computed from the details, the percentiles agree with ghz's own
	// distribution, which also leaves failed calls out.
	for _, d := range rep.LatencyDist {
		if got := rep.percentileOf(d.Percentage); got != d.Latency {
			t.Errorf("p%d = %v, ghz says %v", d.Percentage, got, d.Latency)
		}
	}

	r := row{Name: rowTranslate, BodiesPerCall: 1}
	r.fillFromReport(rep)
	wantRPS := 12 / rep.Total.Seconds()
	if r.Calls != 12 || r.Errors != 4 || math.Abs(r.CallsPerSec-wantRPS) > 1e-9 || r.BodiesPerSec != r.CallsPerSec {
		t.Errorf("row %+v", r)
	}
	if r.P50Ms != ms(rep.percentileOf(50)) || r.P99Ms != ms(rep.percentileOf(99)) || r.ErrorSummary == "" {
		t.Errorf("row latencies %v %v, summary %q", r.P50Ms, r.P99Ms, r.ErrorSummary)
	}

	b := row{Name: rowBatch, BodiesPerCall: 100}
	b.fillFromReport(rep)
	if math.Abs(b.BodiesPerSec-100*b.CallsPerSec) > 1e-9 {
		t.Errorf("batch bodies/s %v for %v calls/s", b.BodiesPerSec, b.CallsPerSec)
	}
}

func TestParseGhzReportRejects(t *testing.T) {
	for _, raw := range []string{`not json`, `{"count":0,"total":5}`, `{"count":3,"total":0}`} {
		if _, err := parseGhzReport([]byte(raw)); err == nil {
			t.Errorf("parseGhzReport(%s) succeeded", raw)
		}
	}
	// Without details, the percentiles come from ghz's distribution.
	rep, err := parseGhzReport([]byte(`{"count":3,"total":1000,"latencyDistribution":[{"percentage":50,"latency":7},{"percentage":99,"latency":9}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if rep.percentileOf(50) != 7 || rep.percentileOf(99) != 9 || rep.percentileOf(90) != 0 {
		t.Errorf("percentiles %v %v %v", rep.percentileOf(50), rep.percentileOf(99), rep.percentileOf(90))
	}
}

func TestPercentile(t *testing.T) {
	var xs []time.Duration
	for i := 1; i <= 100; i++ {
		xs = append(xs, time.Duration(i))
	}
	for _, c := range []struct {
		p    int
		want time.Duration
	}{{50, 50}, {99, 99}, {10, 10}, {100, 100}, {1, 1}, {0, 1}} {
		if got := percentile(xs, c.p); got != c.want {
			t.Errorf("percentile(1..100, %d) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile([]time.Duration{5, 6, 7}, 50); got != 6 {
		t.Errorf("p50 of 3 = %v", got)
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of none = %v", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := slices.Clone(c.in)
		if got := median(in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("median modified its input")
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

// testRound is a round with the given requests/s, p50 and server CPU per
// call of the empty, Translate and batch rows.
func testRound(emptyRPS, emptyP50, emptyCPU, trRPS, trP50, trCPU, batchCallsPerSec, batchCPU float64) round {
	return round{Rows: []row{
		{Name: rowEmpty, BodiesPerCall: 1, CallsPerSec: emptyRPS, BodiesPerSec: emptyRPS, P50Ms: emptyP50, ServerCPUus: emptyCPU},
		{Name: rowTranslate, BodiesPerCall: 1, CallsPerSec: trRPS, BodiesPerSec: trRPS, P50Ms: trP50, ServerCPUus: trCPU},
		{Name: rowBatch, BodiesPerCall: 100, CallsPerSec: batchCallsPerSec, BodiesPerSec: 100 * batchCallsPerSec, P50Ms: 50, ServerCPUus: batchCPU},
	}}
}

// withCanned adds a canned row to a round.
func withCanned(r round, rps, cpu float64) round {
	r.Rows = append(r.Rows, row{Name: rowCanned, BodiesPerCall: 1, CallsPerSec: rps, BodiesPerSec: rps, ServerCPUus: cpu})
	return r
}

func TestComputeRatios(t *testing.T) {
	rounds := []round{
		withCanned(testRound(10000, 2, 40, 9600, 2.1, 41, 1000, 400), 10000, 40),  // canned 0.96, 1.025; 10.25; 0.96, 1.05, 10.42; 0.976
		withCanned(testRound(10000, 2, 40, 9000, 2.2, 50, 800, 600), 10000, 40),   // canned 0.90, 1.25; 8.33; 0.90, 1.10, 8.89; 0.80
		withCanned(testRound(20000, 1, 40, 19800, 1.0, 40, 2500, 300), 20000, 40), // canned 0.99, 1.00; 13.3; 0.99, 1.00, 12.63; 1.0
	}
	got := computeRatios(rounds)
	want := []struct {
		value float64
		met   bool
	}{{0.96, true}, {41.0 / 40, true}, {41.0 / 4, true}, {0.96, true}, {1.05, true}, {1000.0 * 100 / 9600, true}, {40.0 / 41, true}}
	if len(got) != len(want) {
		t.Fatalf("%d ratios, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if math.Abs(got[i].Value-w.value) > 1e-9 || got[i].Met != w.met || len(got[i].PerRound) != 3 {
			t.Errorf("%s = %v (met %v, rounds %v), want %v (met %v)", got[i].Name, got[i].Value, got[i].Met, got[i].PerRound, w.value, w.met)
		}
	}

	if without := computeRatios([]round{testRound(10000, 2, 40, 9600, 2.1, 41, 1000, 400)}); len(without) != len(want)-2 {
		t.Errorf("without a canned row: %d ratios, want %d", len(without), len(want)-2)
	}
	withEmpty := withCanned(testRound(10000, 2, 30, 9600, 2.1, 41, 1000, 400), 10000, 40)
	withEmpty.Rows = append(withEmpty.Rows, row{Name: rowCannedEmpty, BodiesPerCall: 1, CallsPerSec: 12000, BodiesPerSec: 12000, ServerCPUus: 24})
	if got := computeRatios([]round{withEmpty}); len(got) != len(want)+1 {
		t.Fatalf("with a canned empty row: %d ratios, want %d", len(got), len(want)+1)
	}
	withEmpty.Rows = append(withEmpty.Rows, row{Name: rowCannedBatch, BodiesPerCall: 100, CallsPerSec: 2000, BodiesPerSec: 200000, ServerCPUus: 160})
	all := computeRatios([]round{withEmpty})
	if len(all) != len(want)+2 {
		t.Fatalf("with canned empty and canned batch rows: %d ratios, want %d", len(all), len(want)+2)
	}
	info := all[3]
	if info.Name != "server side: empty CPU/call ÷ canned empty CPU/call" || math.Abs(info.Value-30.0/24) > 1e-9 || !info.Informational || info.Met {
		t.Errorf("the canned empty ratio is %+v, want 1.25, informational, not marked met", info)
	}
	// The batch row's 400 µs for 100 bodies against canned's 160 µs.
	if b := all[4]; b.Name != "server side: TranslateBatch CPU/body ÷ canned batch CPU/body" || math.Abs(b.Value-4.0/1.6) > 1e-9 || !b.Informational || b.Met {
		t.Errorf("the canned batch ratio is %+v, want 2.5, informational, not marked met", b)
	}
	var md strings.Builder
	(&report{Ratios: all}).writeMarkdown(&md)
	if !strings.Contains(md.String(), "| server side: empty CPU/call ÷ canned empty CPU/call | 1.25 | none: where the CPU ratio's gap lies | – |") {
		t.Errorf("the informational ratio is not printed with a dash for met:\n%s", md.String())
	}
	miss := computeRatios([]round{withCanned(testRound(10000, 2, 40, 5000, 4, 80, 200, 1000), 10000, 40)})
	for _, r := range miss {
		if r.Met {
			t.Errorf("%s = %v is marked met", r.Name, r.Value)
		}
		if r.PerRound != nil {
			t.Errorf("%s: one round lists per-round values", r.Name)
		}
	}
}

func TestMedians(t *testing.T) {
	rounds := []round{
		testRound(100, 2, 40, 90, 2, 50, 10, 300),
		testRound(300, 4, 60, 70, 3, 70, 30, 500),
		testRound(200, 3, 50, 80, 1, 60, 20, 400),
	}
	rounds[1].Rows[1].Errors, rounds[1].Rows[1].ErrorSummary = 2, "2× boom"
	for i, peak := range []int64{90, 30, 50} {
		rounds[i].Rows[0].PeakAfter, rounds[i].Rows[0].RSSAfter = peak<<20, int64(i)
	}
	rows := medians(rounds)
	if len(rows) != 3 || rows[0].Name != rowEmpty || rows[1].Name != rowTranslate || rows[2].Name != rowBatch {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].PeakAfter != 30<<20 || rows[0].RSSAfter != 1 {
		t.Errorf("empty peak %d, RSS %d: want both from the round of the lowest peak", rows[0].PeakAfter, rows[0].RSSAfter)
	}
	if rows[0].CallsPerSec != 200 || rows[0].P50Ms != 3 || rows[0].ServerCPUus != 50 {
		t.Errorf("empty medians %+v", rows[0])
	}
	if rows[1].CallsPerSec != 80 || rows[1].P50Ms != 2 || rows[1].Errors != 2 || rows[1].ErrorSummary != "2× boom" {
		t.Errorf("Translate medians %+v", rows[1])
	}
	if rows[2].BodiesPerSec != 2000 {
		t.Errorf("batch bodies/s %v", rows[2].BodiesPerSec)
	}
}

func TestFillServerCost(t *testing.T) {
	r := row{Calls: 1000, Seconds: 2}
	before := &runtimeStats{Mallocs: 100, AllocBytes: 1000, GCs: 3}
	after := &runtimeStats{Mallocs: 80100, AllocBytes: 5001000, GCs: 10}
	r.fillServerCost(50*time.Millisecond, 100*time.Millisecond, before, after)
	if r.ServerCPUus != 50 || r.GhzCPUus != 100 || r.ServerAllocs != 80 || r.ServerBytes != 5000 || r.ServerGCs != 7 {
		t.Errorf("costs %+v", r)
	}
	if r.ServerCores != 0.025 || r.GhzCores != 0.05 {
		t.Errorf("cores %v %v", r.ServerCores, r.GhzCores)
	}
}

func TestSoakFlat(t *testing.T) {
	s := &soakResult{Samples: []soakSample{{RSS: 30 << 20}, {RSS: 31 << 20}, {RSS: 32 << 20}}}
	if !s.flat() {
		t.Error("+2 MiB of 30 is not flat")
	}
	s.Samples = append(s.Samples, soakSample{RSS: 40 << 20})
	if s.flat() {
		t.Error("+10 MiB of 30 is flat")
	}
}

func TestSoakMarkdownShowsReference(t *testing.T) {
	s := &soakResult{Duration: "1m0s", MaxRPS: 1000, Rate: 0.7, TargetRPS: 700, Calls: 42000, P50Ms: 0.5, P99Ms: 2,
		Samples:   []soakSample{{ElapsedSec: 60, Calls: 42000, P50Ms: 0.5, P99Ms: 2, RSS: 30 << 20}},
		Reference: &soakReference{Call: "grpc.health.v1.Health/Check", Calls: 21000, P50Ms: 0.25, P99Ms: 1.5}}
	var b strings.Builder
	s.writeMarkdown(&b)
	for _, want := range []string{"| p99 ÷ p50 | 4.00 | ≤ 3 | **no** |", "`grpc.health.v1.Health/Check` at the same rate", "| 6.00 (0.25 ms, 1.50 ms) |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the soak's Markdown lacks %q:\n%s", want, b.String())
		}
	}
}

func TestProcParsers(t *testing.T) {
	status := "Name:\terrbridge\nVmPeak:\t 1700000 kB\nVmHWM:\t   30720 kB\nVmRSS:\t   20480 kB\nThreads:\t8\n"
	rss, hwm, err := parseMemStatus([]byte(status))
	if err != nil || rss != 20<<20 || hwm != 30<<20 {
		t.Errorf("parseMemStatus = %d, %d, %v", rss, hwm, err)
	}
	if _, _, err := parseMemStatus([]byte("Name:\tx\nVmRSS:\t1 kB\n")); err == nil {
		t.Error("a status without VmHWM parsed")
	}
	// The command may hold spaces and parentheses.
	stat := "1234 (err (bridge) x) S 1 1234 1234 0 -1 4194560 2913 0 0 0 250 75 0 0 20 0 9 0 1234567 1700000000 5000 18446744073709551615"
	cpu, err := parseStatCPU([]byte(stat))
	if err != nil || cpu != 3250*time.Millisecond {
		t.Errorf("parseStatCPU = %v, %v; want 3.25s", cpu, err)
	}
	if _, err := parseStatCPU([]byte("1234 (x) S 1")); err == nil {
		t.Error("a short stat parsed")
	}
	metrics := "# HELP go_gc_duration_seconds x\ngo_gc_duration_seconds{quantile=\"0.5\"} 0.0001\ngo_gc_duration_seconds_sum 0.01\n" +
		"go_gc_duration_seconds_count 42\ngo_memstats_alloc_bytes_total 1.5e+09\ngo_memstats_mallocs_total 123456\nprocess_cpu_seconds_total 3\n"
	rs, err := parseRuntimeStats([]byte(metrics))
	if err != nil || rs.GCs != 42 || rs.AllocBytes != 1.5e9 || rs.Mallocs != 123456 {
		t.Errorf("parseRuntimeStats = %+v, %v", rs, err)
	}
	if _, err := parseRuntimeStats([]byte("process_cpu_seconds_total 3\n")); err == nil {
		t.Error("metrics without the runtime counters parsed")
	}
}

func TestGhzArgs(t *testing.T) {
	g := ghzRun{Call: "errbridge.v1.TranslatorService/Translate", DataFile: "/tmp/d.json", Duration: 10 * time.Second, Concurrency: 50, Connections: 2}
	a := strings.Join(g.args("127.0.0.1:1234", "/tmp/out.json"), " ")
	for _, want := range []string{"--insecure", "--call errbridge.v1.TranslatorService/Translate", "--concurrency 50", "--connections 2",
		"--duration 10s", "--format json", "--output /tmp/out.json", "--data-file /tmp/d.json", "--duration-stop ignore"} {
		if !strings.Contains(a, want) {
			t.Errorf("args %q lack %q", a, want)
		}
	}
	if strings.Contains(a, "--rps") || !strings.HasSuffix(a, " 127.0.0.1:1234") {
		t.Errorf("args %q", a)
	}
	g.RPS, g.DataFile, g.Data = 700, "", "{}"
	a = strings.Join(g.args("127.0.0.1:1234", "/tmp/out.json"), " ")
	if !strings.Contains(a, "--rps 700") || !strings.Contains(a, "--data {}") {
		t.Errorf("args %q", a)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil)
	if err != nil || c.duration != 10*time.Second || c.concurrency != 50 || c.rounds != 3 || c.soak != 0 || c.soakRate != 0.7 {
		t.Fatalf("defaults %+v, %v", c, err)
	}
	c, err = parseFlags([]string{"--soak", "10m", "--server-args", "--log-level warn", "--server-env", "GOMEMLIMIT=48MiB"})
	if err != nil || c.soak != 10*time.Minute || c.serverArgs != "--log-level warn" {
		t.Fatalf("%+v, %v", c, err)
	}
	for _, bad := range [][]string{
		{"--duration", "10ms"}, {"--concurrency", "0"}, {"--connections", "60"}, {"--rounds", "0"},
		{"--soak-rate", "1.5"}, {"--soak", "10ms"}, {"--server-env", "GOGC"}, {"extra"},
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

// TestMix checks the generated workload: the ghz data file decodes as proto
// JSON, its bodies are valid base64, every request is valid for the
// service, and the engine translates each body into the reason the mix
// expects of it.
func TestMix(t *testing.T) {
	cat := catalog.Default()
	m, err := newMix(cat, 1000)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.translateData()
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatalf("the data file is not a JSON array of objects: %v", err)
	}
	if len(items) != len(m.Samples) {
		t.Fatalf("%d messages in the data file, %d samples", len(items), len(m.Samples))
	}
	tr := translate.Default()
	kinds := make(map[kind]int)
	reasons := make(map[string]bool)
	bodies := make(map[string]bool)
	locales := make(map[string]bool)
	for i, item := range items {
		s := m.Samples[i]
		kinds[s.Kind]++
		req := new(errbridgev1.TranslateRequest)
		if err := protojson.Unmarshal(mustMarshal(t, item), req); err != nil {
			t.Fatalf("message %d is not a TranslateRequest in proto JSON: %v", i, err)
		}
		if !proto.Equal(req, s.Req) {
			t.Fatalf("message %d decodes to %v, want %v", i, req, s.Req)
		}
		var body []byte
		if b64, ok := item["body"]; ok {
			var text string
			if err := json.Unmarshal(b64, &text); err != nil {
				t.Fatalf("message %d: body is not a string: %v", i, err)
			}
			if body, err = base64.StdEncoding.DecodeString(text); err != nil {
				t.Fatalf("message %d: body is not base64: %v", i, err)
			}
		}
		if string(body) != string(s.Req.GetBody()) {
			t.Fatalf("message %d: body %q, want %q", i, body, s.Req.GetBody())
		}
		if err := service.ValidateTranslateRequest(req, service.DefaultLimits()); err != nil {
			t.Fatalf("message %d (%s) would fail: %v", i, s.Kind, err)
		}
		r := tr.Translate(int(req.GetHttpStatus()), body, &translate.Options{
			Headers: req.GetHeaders(), Locale: req.GetLocale(), Method: req.GetMethod(),
			Idempotent: req.GetIdempotent(), Family: req.GetFamily(),
		})
		if r.Reason() != s.Reason {
			t.Errorf("message %d (%s, %q): engine says %q, mix expects %q", i, s.Kind, body, r.Reason(), s.Reason)
		}
		reasons[s.Reason] = true
		bodies[string(body)] = true
		locales[req.GetLocale()] = true
	}
	for _, w := range mixWeights {
		if kinds[w.kind] != w.percent*10 {
			t.Errorf("%d %s messages, want %d", kinds[w.kind], w.kind, w.percent*10)
		}
	}
	if len(reasons) < 20 || len(bodies) < 300 || len(locales) != len(localeWeights) {
		t.Errorf("a thin mix: %d reasons, %d distinct bodies, %d locales", len(reasons), len(bodies), len(locales))
	}
	for _, r := range []string{reasonUnknownCode, reasonUnparseable} {
		if !reasons[r] {
			t.Errorf("no %s in the mix", r)
		}
	}
}

// TestBatchData checks that the batches hold the mix exactly once each.
func TestBatchData(t *testing.T) {
	m, err := newMix(catalog.Default(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.batchData(100)
	if err != nil {
		t.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 10 {
		t.Fatalf("%d batches, want 10", len(items))
	}
	n := 0
	for i, item := range items {
		b := new(errbridgev1.TranslateBatchRequest)
		if err := protojson.Unmarshal(item, b); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if len(b.GetRequests()) != 100 {
			t.Fatalf("batch %d holds %d requests", i, len(b.GetRequests()))
		}
		for _, r := range b.GetRequests() {
			if !proto.Equal(r, m.Samples[n].Req) {
				t.Fatalf("batch %d item %d differs from sample %d", i, n%100, n)
			}
			n++
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWriteDataCreatesTheDirectory writes the data files into a directory
// that does not exist yet, as --write-data does.
func TestWriteDataCreatesTheDirectory(t *testing.T) {
	t.Parallel()
	cfg, err := parseFlags([]string{"--messages", "50", "--batch-size", "10"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new", "data")
	if _, _, err := prepareRows(cfg, dir); err != nil {
		t.Fatalf("prepareRows: %v", err)
	}
	for _, name := range []string{"translate.json", "batch.json"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
