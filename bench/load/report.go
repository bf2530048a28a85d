package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Row names, in the order the rows run.
const (
	rowEmpty     = "empty"
	rowTranslate = "Translate"
	rowCanned    = "canned"
	rowBatch     = "TranslateBatch"
	// rowCannedEmpty is the empty RPC on the canned server: what grpc-go
	// alone spends on a call, against which the empty row shows what
	// errbridge adds to every call before it translates anything.
	rowCannedEmpty = "canned empty"
	// rowCannedBatch is TranslateBatch on the canned server: what grpc-go
	// alone spends on a batch's bytes, against which the batch row shows
	// what errbridge spends on each body.
	rowCannedBatch = "canned batch"
)

// row is one measured line of the table: one ghz run and what the server
// spent on it.
type row struct {
	Name          string  `json:"name"`
	Call          string  `json:"call"`
	Input         string  `json:"input"`
	BodiesPerCall int     `json:"bodies_per_call"`
	Calls         uint64  `json:"calls"`
	Errors        uint64  `json:"errors"`
	ErrorSummary  string  `json:"error_summary,omitempty"`
	Seconds       float64 `json:"seconds"`
	CallsPerSec   float64 `json:"calls_per_sec"`
	BodiesPerSec  float64 `json:"bodies_per_sec"`
	P50Ms         float64 `json:"p50_ms"`
	P99Ms         float64 `json:"p99_ms"`

	// What the server spent per call: CPU (user+system, all threads), heap
	// allocations and allocated bytes (from its Go runtime counters), and
	// how many GC cycles ran during the row.
	ServerCPUus      float64 `json:"server_cpu_us_per_call"`
	ServerAllocs     float64 `json:"server_allocs_per_call"`
	ServerBytes      float64 `json:"server_bytes_per_call"`
	ServerGCs        float64 `json:"server_gc_cycles"`
	ServerCores      float64 `json:"server_cores"`
	GhzCPUus         float64 `json:"ghz_cpu_us_per_call"`
	GhzCores         float64 `json:"ghz_cores"`
	RSSAfter         int64   `json:"server_rss_after_bytes"`
	PeakAfter        int64   `json:"server_peak_rss_after_bytes"`
	RequestBytes     float64 `json:"request_bytes_mean"`
	ResponseBytes    float64 `json:"response_bytes_mean"`
	hasRuntimeCounts bool
}

// fillFromReport sets the throughput, latency and error columns from a ghz
// report.
func (r *row) fillFromReport(rep *ghzReport) {
	r.Calls = rep.Count
	r.Errors = rep.errors()
	if r.Errors > 0 {
		r.ErrorSummary = rep.errorSummary()
	}
	r.Seconds = rep.Total.Seconds()
	r.CallsPerSec = float64(rep.Count) / rep.Total.Seconds()
	r.BodiesPerSec = r.CallsPerSec * float64(max(r.BodiesPerCall, 1))
	r.P50Ms = ms(rep.percentileOf(50))
	r.P99Ms = ms(rep.percentileOf(99))
}

// fillServerCost sets the per-call server and ghz columns from the deltas
// measured around the row.
func (r *row) fillServerCost(serverCPU, ghzCPU time.Duration, before, after *runtimeStats) {
	if r.Calls == 0 || r.Seconds == 0 {
		return
	}
	n := float64(r.Calls)
	r.ServerCPUus = float64(serverCPU.Microseconds()) / n
	r.ServerCores = serverCPU.Seconds() / r.Seconds
	r.GhzCPUus = float64(ghzCPU.Microseconds()) / n
	r.GhzCores = ghzCPU.Seconds() / r.Seconds
	if before != nil && after != nil {
		r.hasRuntimeCounts = true
		r.ServerAllocs = (after.Mallocs - before.Mallocs) / n
		r.ServerBytes = (after.AllocBytes - before.AllocBytes) / n
		r.ServerGCs = after.GCs - before.GCs
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// median is the median of xs (the mean of the middle two for an even
// count); xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// medianRow is a row whose every measured column is the median of that
// column over the rounds.
func medianRow(rounds []row) row {
	if len(rounds) == 1 {
		return rounds[0]
	}
	out := rounds[0]
	col := func(get func(*row) float64) float64 {
		xs := make([]float64, len(rounds))
		for i := range rounds {
			xs[i] = get(&rounds[i])
		}
		return median(xs)
	}
	var calls, errs uint64
	var summaries []string
	for _, r := range rounds {
		calls += r.Calls
		errs += r.Errors
		if r.ErrorSummary != "" {
			summaries = append(summaries, r.ErrorSummary)
		}
	}
	out.Calls, out.Errors = calls, errs // totals over the rounds
	out.ErrorSummary = strings.Join(summaries, " | ")
	out.Seconds = col(func(r *row) float64 { return r.Seconds })
	out.CallsPerSec = col(func(r *row) float64 { return r.CallsPerSec })
	out.BodiesPerSec = col(func(r *row) float64 { return r.BodiesPerSec })
	out.P50Ms = col(func(r *row) float64 { return r.P50Ms })
	out.P99Ms = col(func(r *row) float64 { return r.P99Ms })
	out.ServerCPUus = col(func(r *row) float64 { return r.ServerCPUus })
	out.ServerAllocs = col(func(r *row) float64 { return r.ServerAllocs })
	out.ServerBytes = col(func(r *row) float64 { return r.ServerBytes })
	out.ServerGCs = col(func(r *row) float64 { return r.ServerGCs })
	out.ServerCores = col(func(r *row) float64 { return r.ServerCores })
	out.GhzCPUus = col(func(r *row) float64 { return r.GhzCPUus })
	out.GhzCores = col(func(r *row) float64 { return r.GhzCores })
	// A row starts with what the row before it left resident (the batch
	// row leaves the most, for the next round's first row), so its memory
	// is shown from the round where its peak was lowest.
	low := slices.MinFunc(rounds, func(a, b row) int { return cmp.Compare(a.PeakAfter, b.PeakAfter) })
	out.RSSAfter, out.PeakAfter = low.RSSAfter, low.PeakAfter
	return out
}

// ratio is one target of the issue, measured.
type ratio struct {
	Name     string    `json:"name"`
	Value    float64   `json:"value"`
	PerRound []float64 `json:"per_round,omitempty"`
	Goal     string    `json:"goal"`
	Met      bool      `json:"met"`
	// Informational ratios have no goal: they say where a target's gap lies.
	Informational bool `json:"informational,omitempty"`
}

// round is one pass over the rows, run back to back.
type round struct {
	Rows []row `json:"rows"`
}

// find returns the row of a round by name.
func (r round) find(name string) (row, bool) {
	for _, x := range r.Rows {
		if x.Name == name {
			return x, true
		}
	}
	return row{}, false
}

// computeRatios derives the targets' ratios in each round (so that each
// compares rows measured next to each other) and reports their medians. A
// ratio is left out when a round lacks one of its rows.
func computeRatios(rounds []round) []ratio {
	type def struct {
		name, goal string
		rows       []string
		f          func(r map[string]row) float64
		ok         func(v float64) bool
	}
	perBody := func(r row) float64 { return r.ServerCPUus / float64(max(r.BodiesPerCall, 1)) }
	defs := []def{
		// Against the canned server: the same calls, answered by grpc-go
		// alone with precomputed bytes.
		{"Translate requests/s ÷ canned requests/s", "≥ 0.95", []string{rowTranslate, rowCanned},
			func(r map[string]row) float64 { return r[rowTranslate].CallsPerSec / r[rowCanned].CallsPerSec },
			func(v float64) bool { return v >= 0.95 }},
		{"server side: Translate CPU/call ÷ canned CPU/call", "≤ 1.05", []string{rowTranslate, rowCanned},
			func(r map[string]row) float64 { return r[rowTranslate].ServerCPUus / r[rowCanned].ServerCPUus },
			func(v float64) bool { return v <= 1.05 }},
		{"server side: Translate CPU/body ÷ TranslateBatch CPU/body", "≥ 10", []string{rowTranslate, rowBatch},
			func(r map[string]row) float64 { return perBody(r[rowTranslate]) / perBody(r[rowBatch]) },
			func(v float64) bool { return v >= 10 }},
		// No goal: how much of the CPU ratio errbridge spends on every call
		// (admission, the receive timeout, counting) before translating.
		{"server side: empty CPU/call ÷ canned empty CPU/call", "none: where the CPU ratio's gap lies", []string{rowEmpty, rowCannedEmpty},
			func(r map[string]row) float64 { return r[rowEmpty].ServerCPUus / r[rowCannedEmpty].ServerCPUus },
			nil},
		// No goal: how much of a batch body's CPU is errbridge's own work
		// (decoding, validating, translating, encoding) rather than
		// grpc-go's for the same bytes.
		{"server side: TranslateBatch CPU/body ÷ canned batch CPU/body", "none: where the batch ratio's gap lies", []string{rowBatch, rowCannedBatch},
			func(r map[string]row) float64 { return perBody(r[rowBatch]) / perBody(r[rowCannedBatch]) },
			nil},
		// Against the empty RPC, the earlier baseline: a call that carries
		// some 800 bytes less.
		{"Translate requests/s ÷ empty requests/s", "≥ 0.95", []string{rowEmpty, rowTranslate},
			func(r map[string]row) float64 { return r[rowTranslate].CallsPerSec / r[rowEmpty].CallsPerSec },
			func(v float64) bool { return v >= 0.95 }},
		{"Translate p50 ÷ empty p50", "≤ 1.05", []string{rowEmpty, rowTranslate},
			func(r map[string]row) float64 { return r[rowTranslate].P50Ms / r[rowEmpty].P50Ms },
			func(v float64) bool { return v <= 1.05 }},
		{"TranslateBatch bodies/s ÷ Translate bodies/s", "≥ 10", []string{rowTranslate, rowBatch},
			func(r map[string]row) float64 { return r[rowBatch].BodiesPerSec / r[rowTranslate].BodiesPerSec },
			func(v float64) bool { return v >= 10 }},
		// The same targets on the server's own CPU time per call, which is
		// what the requests/s ratios would be were the server, not ghz on
		// the same cores, the bottleneck.
		{"server side: empty CPU/call ÷ Translate CPU/call", "≥ 0.95", []string{rowEmpty, rowTranslate},
			func(r map[string]row) float64 { return r[rowEmpty].ServerCPUus / r[rowTranslate].ServerCPUus },
			func(v float64) bool { return v >= 0.95 }},
	}
	var out []ratio
	for _, d := range defs {
		var vals []float64
	rounds:
		for _, rd := range rounds {
			rows := make(map[string]row, len(d.rows))
			for _, name := range d.rows {
				r, ok := rd.find(name)
				if !ok {
					continue rounds
				}
				rows[name] = r
			}
			if v := d.f(rows); !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		v := median(vals)
		r := ratio{Name: d.name, Value: v, Goal: d.goal, Informational: d.ok == nil}
		if d.ok != nil {
			r.Met = d.ok(v)
		}
		if len(vals) > 1 {
			r.PerRound = vals
		}
		out = append(out, r)
	}
	return out
}

// memory is the resident memory of the server of the table's rows.
type memory struct {
	RSSStart int64 `json:"rss_start_bytes"` // VmRSS once SERVING
	RSSEnd   int64 `json:"rss_end_bytes"`   // VmRSS after the rows
	Peak     int64 `json:"peak_bytes"`      // the largest VmHWM over the run
	// PeakResettable says whether VmHWM was reset before each row, so that
	// each row's peak is its own; otherwise it is the peak so far.
	PeakResettable bool `json:"peak_per_row"`
}

// maxPeakRSS is the bound on the server's peak RSS.
const maxPeakRSS = 64 << 20

// settings are the ghz settings every row shares.
type settings struct {
	Ghz         string  `json:"ghz"`
	Duration    string  `json:"duration_per_row"`
	Warmup      string  `json:"warmup_per_row"`
	Concurrency int     `json:"concurrency"`
	Connections int     `json:"connections"`
	Rounds      int     `json:"rounds"`
	Messages    int     `json:"messages"`
	BatchSize   int     `json:"batch_size"`
	Mix         string  `json:"mix"`
	ServerArgs  string  `json:"server_args"`
	ServerEnv   string  `json:"server_env"`
	ServerBin   string  `json:"server_bin,omitempty"`
	SoakRate    float64 `json:"soak_rate,omitempty"`
}

// report is everything the harness measured; --json writes it.
type report struct {
	Machine  machine     `json:"machine"`
	Settings settings    `json:"settings"`
	Rounds   []round     `json:"rounds"`
	Rows     []row       `json:"rows"` // medians over the rounds
	Ratios   []ratio     `json:"ratios"`
	Memory   memory      `json:"memory"`
	Soak     *soakResult `json:"soak,omitempty"`
}

// medians builds the table's rows from the rounds.
func medians(rounds []round) []row {
	if len(rounds) == 0 {
		return nil
	}
	var out []row
	for _, r := range rounds[0].Rows {
		var same []row
		for _, rd := range rounds {
			if x, ok := rd.find(r.Name); ok {
				same = append(same, x)
			}
		}
		out = append(out, medianRow(same))
	}
	return out
}

// writeMarkdown prints the report as Markdown.
func (rep *report) writeMarkdown(w io.Writer) {
	m, s := rep.Machine, rep.Settings
	fmt.Fprintf(w, "## errbridge load test\n\n")
	fmt.Fprintf(w, "Machine: %d CPUs, %s, %s, %s; load average %s at the start, %s at the end.\n\n",
		m.CPUs, m.CPUModel, m.Kernel, m.GoVersion, m.LoadStart, m.LoadEnd)
	fmt.Fprintf(w, "ghz %s, reflection, plaintext; every row: concurrency %d, %d connection(s), %s after a %s warm-up run; %d round(s) back to back, medians shown. Server: `errbridge serve` with default limits%s.\n\n",
		s.Ghz, s.Concurrency, s.Connections, s.Duration, s.Warmup, s.Rounds, serverArgsNote(s.ServerBin, s.ServerArgs, s.ServerEnv))
	fmt.Fprintf(w, "| row | call (data) | requests/s | bodies/s | p50 | p99 | errors | server CPU/call | server allocs/call | server bytes/call | server GC cycles/s | server RSS after row (peak) |\n")
	fmt.Fprintf(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rep.Rows {
		allocs, bytes, gcs := "–", "–", "–"
		if r.hasRuntimeCounts || r.ServerAllocs > 0 {
			allocs = fmt.Sprintf("%.0f", r.ServerAllocs)
			bytes = humanBytes(r.ServerBytes)
			if r.Seconds > 0 {
				gcs = fmt.Sprintf("%.0f", r.ServerGCs/r.Seconds)
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d | %.0f µs | %s | %s | %s | %s (%s) |\n",
			r.Name, r.Input, thousands(r.CallsPerSec), thousands(r.BodiesPerSec),
			fmtMs(r.P50Ms), fmtMs(r.P99Ms), r.Errors, r.ServerCPUus, allocs, bytes, gcs, mib(r.RSSAfter), mib(r.PeakAfter))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| target | measured | goal | met |\n|---|--:|--:|---|\n")
	for _, r := range rep.Ratios {
		v := fmt.Sprintf("%.2f", r.Value)
		if len(r.PerRound) > 1 {
			parts := make([]string, len(r.PerRound))
			for i, x := range r.PerRound {
				parts[i] = fmt.Sprintf("%.2f", x)
			}
			v += " (rounds: " + strings.Join(parts, ", ") + ")"
		}
		met := yesNo(r.Met)
		if r.Informational {
			met = "–"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.Name, v, r.Goal, met)
	}
	mem := rep.Memory
	fmt.Fprintf(w, "| server peak RSS (VmHWM) | %s | ≤ 64 MiB | %s |\n\n", mib(mem.Peak), yesNo(mem.Peak <= maxPeakRSS))
	peakNote := "each row's own peak: VmHWM is reset before its warm-up; both from the round where that peak was lowest, as a row starts with what the previous one left"
	if !mem.PeakResettable {
		peakNote = "the peak so far: VmHWM could not be reset"
	}
	fmt.Fprintf(w, "Server RSS: %s once SERVING, %s after the rows, peak %s (in the table, RSS after each row and, in brackets, %s).\n\n",
		mib(mem.RSSStart), mib(mem.RSSEnd), mib(mem.Peak), peakNote)
	fmt.Fprintf(w, "Where the CPU went (medians): ")
	var parts []string
	for _, r := range rep.Rows {
		parts = append(parts, fmt.Sprintf("%s: server %.2f cores, ghz %.2f cores (%.0f µs/call)", r.Name, r.ServerCores, r.GhzCores, r.GhzCPUus))
	}
	fmt.Fprintf(w, "%s.\n", strings.Join(parts, "; "))
	var sizes []string
	for _, r := range rep.Rows {
		if r.RequestBytes > 0 || r.ResponseBytes > 0 {
			sizes = append(sizes, fmt.Sprintf("%s %.0f B request, %.0f B response", r.Name, r.RequestBytes, r.ResponseBytes))
		}
	}
	if len(sizes) > 0 {
		fmt.Fprintf(w, "Mean message sizes (protobuf encoding): %s.\n", strings.Join(sizes, "; "))
	}
	fmt.Fprintf(w, "Mix of %d messages: %s.\n", s.Messages, s.Mix)
	if len(rep.Rounds) > 1 {
		var names []string
		for _, r := range rep.Rounds[0].Rows {
			names = append(names, r.Name)
		}
		fmt.Fprintf(w, "\nRounds (calls/s of %s):", strings.Join(names, ", "))
		for i, rd := range rep.Rounds {
			var xs []string
			for _, r := range rd.Rows {
				xs = append(xs, thousands(r.CallsPerSec))
			}
			fmt.Fprintf(w, " #%d %s;", i+1, strings.Join(xs, " / "))
		}
		fmt.Fprintln(w)
	}
	for _, r := range rep.Rows {
		if r.Errors > 0 {
			fmt.Fprintf(w, "\nErrors in %s: %s\n", r.Name, r.ErrorSummary)
		}
	}
	if rep.Soak != nil {
		fmt.Fprintln(w)
		rep.Soak.writeMarkdown(w)
	}
}

func serverArgsNote(bin, args, env string) string {
	var s string
	if bin != "" {
		s += " (binary `" + bin + "`)"
	}
	if args != "" {
		s += " plus `" + args + "`"
	}
	if env != "" {
		s += ", environment `" + env + "`"
	}
	return s
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// fmtMs formats milliseconds with three significant digits or so.
func fmtMs(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}

// humanBytes formats a byte count.
func humanBytes(v float64) string {
	switch {
	case v >= 1<<20:
		return fmt.Sprintf("%.1f MiB", v/(1<<20))
	case v >= 10<<10:
		return fmt.Sprintf("%.0f KiB", v/(1<<10))
	case v >= 1<<10:
		return fmt.Sprintf("%.1f KiB", v/(1<<10))
	default:
		return fmt.Sprintf("%.0f B", v)
	}
}

// thousands formats a rate rounded to a whole number, with thousands
// separators.
func thousands(v float64) string {
	n := int64(math.Round(v))
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
