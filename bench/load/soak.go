package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// soakSample is one interval of the soak: one ghz run at the target rate,
// and the server's memory at its end.
type soakSample struct {
	ElapsedSec  float64 `json:"elapsed_sec"`
	Calls       uint64  `json:"calls"`
	Errors      uint64  `json:"errors"`
	CallsPerSec float64 `json:"calls_per_sec"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	RSS         int64   `json:"rss_bytes"`
	Peak        int64   `json:"peak_bytes"`
	Load        string  `json:"load_average"`
}

// soakResult is the whole soak.
type soakResult struct {
	Duration     string       `json:"duration"`
	Interval     string       `json:"interval"`
	MaxRPS       float64      `json:"max_rps"`
	Rate         float64      `json:"rate"`
	TargetRPS    int          `json:"target_rps"`
	Calls        uint64       `json:"calls"`
	Errors       uint64       `json:"errors"`
	ErrorSummary string       `json:"error_summary,omitempty"`
	CallsPerSec  float64      `json:"calls_per_sec"`
	P50Ms        float64      `json:"p50_ms"`
	P99Ms        float64      `json:"p99_ms"`
	RSSStart     int64        `json:"rss_start_bytes"`
	RSSEnd       int64        `json:"rss_end_bytes"`
	Peak         int64        `json:"peak_bytes"`
	Samples      []soakSample `json:"samples"`
	// RSSGrowth is the change of VmRSS from the first interval's end to the
	// last's, relative to the first.
	RSSGrowth float64 `json:"rss_growth"`
	// Reference is the empty RPC at the soak's rate, for one interval after
	// it: the latency spread the machine and ghz give the cheapest call.
	Reference *soakReference `json:"reference,omitempty"`
}

// soakReference is one ghz run of the empty RPC at the soak's rate.
type soakReference struct {
	Call   string  `json:"call"`
	Calls  uint64  `json:"calls"`
	Errors uint64  `json:"errors"`
	P50Ms  float64 `json:"p50_ms"`
	P99Ms  float64 `json:"p99_ms"`
}

// runReference runs g (the empty row's call) at the soak's rate for d.
func runReference(ctx context.Context, env *runEnv, g ghzRun, s *soakResult, d time.Duration) error {
	g.RPS, g.Duration = s.TargetRPS, d
	env.logf("soak reference: %s for %v at %d requests/s", g.Call, d, g.RPS)
	out, err := runGhz(ctx, env.ghz, env.dir, env.srv.addr, g)
	if err != nil {
		return err
	}
	lat := out.Report.latencies()
	s.Reference = &soakReference{
		Call: g.Call, Calls: out.Report.Count, Errors: out.Report.errors(),
		P50Ms: ms(percentile(lat, 50)), P99Ms: ms(percentile(lat, 99)),
	}
	return nil
}

// Soak verdict bounds: p99 within 3× p50, and RSS flat, which the harness
// takes as at most 10 % (and at most 8 MiB) of growth between the end of
// the first interval, once warm, and the end of the soak.
const (
	maxSoakTailRatio = 3.0
	maxRSSGrowth     = 0.10
	maxRSSGrowthAbs  = 8 << 20
)

// flat reports whether the RSS stayed flat.
func (s *soakResult) flat() bool {
	if len(s.Samples) == 0 {
		return true
	}
	first := s.Samples[0].RSS
	last := s.Samples[len(s.Samples)-1].RSS
	return float64(last-first) <= maxRSSGrowth*float64(first) && last-first <= maxRSSGrowthAbs
}

// runSoak runs Translate at target requests/s for d, in intervals of
// every, and samples the server's memory after each. Each interval is its
// own ghz run, so that every call's latency is kept (ghz keeps the details
// of its first million calls only).
func runSoak(ctx context.Context, env *runEnv, g ghzRun, maxRPS, rate float64, d, every time.Duration) (*soakResult, error) {
	target := int(math.Round(maxRPS * rate))
	if target < 1 {
		return nil, fmt.Errorf("cannot soak at %.0f%% of %.0f requests/s", rate*100, maxRPS)
	}
	res := &soakResult{Duration: d.String(), Interval: every.String(), MaxRPS: maxRPS, Rate: rate, TargetRPS: target}
	rss, _, err := memStatus(env.srv.pid())
	if err != nil {
		return nil, err
	}
	res.RSSStart = rss
	g.RPS = target
	var all []time.Duration
	var busy float64
	summaries := map[string]int{}
	for elapsed := time.Duration(0); elapsed < d; {
		g.Duration = min(every, d-elapsed)
		env.logf("soak: %v of %v at %d requests/s", elapsed, d, target)
		out, err := runGhz(ctx, env.ghz, env.dir, env.srv.addr, g)
		if err != nil {
			return nil, err
		}
		if err := env.srv.alive(); err != nil {
			return nil, err
		}
		elapsed += g.Duration
		rep := out.Report
		lat := rep.latencies()
		all = append(all, lat...)
		rss, peak, err := memStatus(env.srv.pid())
		if err != nil {
			return nil, err
		}
		smp := soakSample{
			ElapsedSec:  elapsed.Seconds(),
			Calls:       rep.Count,
			Errors:      rep.errors(),
			CallsPerSec: float64(rep.Count) / rep.Total.Seconds(),
			P50Ms:       ms(percentile(lat, 50)),
			P99Ms:       ms(percentile(lat, 99)),
			RSS:         rss,
			Peak:        peak,
			Load:        loadAverage(),
		}
		res.Samples = append(res.Samples, smp)
		res.Calls += smp.Calls
		res.Errors += smp.Errors
		busy += rep.Total.Seconds()
		for m, n := range rep.ErrorDist {
			summaries[m] += n
		}
		res.RSSEnd, res.Peak = rss, peak
	}
	slices.Sort(all)
	res.P50Ms = ms(percentile(all, 50))
	res.P99Ms = ms(percentile(all, 99))
	if busy > 0 {
		res.CallsPerSec = float64(res.Calls) / busy
	}
	if len(summaries) > 0 {
		res.ErrorSummary = (&ghzReport{ErrorDist: summaries}).errorSummary()
	}
	if first := res.Samples[0].RSS; first > 0 {
		res.RSSGrowth = float64(res.RSSEnd-first) / float64(first)
	}
	return res, nil
}

// writeMarkdown prints the soak's table and verdicts.
func (s *soakResult) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Soak: Translate (same mix) at %.0f%% of %s requests/s = %s requests/s for %s\n\n",
		s.Rate*100, thousands(s.MaxRPS), thousands(float64(s.TargetRPS)), s.Duration)
	fmt.Fprintf(w, "| elapsed | requests | errors | requests/s | p50 | p99 | RSS | peak RSS | load average |\n")
	fmt.Fprintf(w, "|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, x := range s.Samples {
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n",
			time.Duration(x.ElapsedSec*float64(time.Second)).Round(time.Second), thousands(float64(x.Calls)), x.Errors,
			thousands(x.CallsPerSec), fmtMs(x.P50Ms), fmtMs(x.P99Ms), mib(x.RSS), mib(x.Peak), x.Load)
	}
	fmt.Fprintf(w, "| **total** | %s | %d | %s | %s | %s | %s | %s | |\n\n",
		thousands(float64(s.Calls)), s.Errors, thousands(s.CallsPerSec), fmtMs(s.P50Ms), fmtMs(s.P99Ms), mib(s.RSSEnd), mib(s.Peak))
	tail := s.P99Ms / s.P50Ms
	fmt.Fprintf(w, "| soak target | measured | goal | met |\n|---|--:|--:|---|\n")
	fmt.Fprintf(w, "| errors | %d | 0 | %s |\n", s.Errors, yesNo(s.Errors == 0))
	fmt.Fprintf(w, "| p99 ÷ p50 | %.2f | ≤ %.0f | %s |\n", tail, maxSoakTailRatio, yesNo(tail <= maxSoakTailRatio))
	fmt.Fprintf(w, "| RSS growth, first interval → end | %+.1f%% (%s → %s) | flat (≤ 10 %%, ≤ 8 MiB) | %s |\n",
		100*s.RSSGrowth, mib(firstRSS(s)), mib(s.RSSEnd), yesNo(s.flat()))
	if r := s.Reference; r != nil && r.P50Ms > 0 {
		fmt.Fprintf(w, "| for reference: p99 ÷ p50 of `%s` at the same rate, for one interval after the soak (%s calls, %d errors) | %.2f (%s, %s) | | |\n",
			r.Call, thousands(float64(r.Calls)), r.Errors, r.P99Ms/r.P50Ms, fmtMs(r.P50Ms), fmtMs(r.P99Ms))
	}
	fmt.Fprintf(w, "\nThe soak runs on a server of its own: RSS %s once SERVING, %s at the end, peak (VmHWM) %s.\n", mib(s.RSSStart), mib(s.RSSEnd), mib(s.Peak))
	if s.Errors > 0 {
		fmt.Fprintf(w, "\nSoak errors: %s\n", s.ErrorSummary)
	}
}

func firstRSS(s *soakResult) int64 {
	if len(s.Samples) == 0 {
		return 0
	}
	return s.Samples[0].RSS
}
