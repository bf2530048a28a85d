package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ghzModule and ghzVersion pin the load generator. v0.121.0 is the newest
// version the Go module proxy serves that builds with Go 1.26.
const (
	ghzModule  = "github.com/bojand/ghz"
	ghzVersion = "v0.121.0"
)

// ensureGhz returns the path of the pinned ghz, installing it with go
// install into a directory of the user cache (named after the version) when
// it is not there yet.
func ensureGhz(ctx context.Context, logf func(string, ...any)) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "errbridge-bench", "ghz-"+ghzVersion)
	bin := filepath.Join(dir, "ghz")
	if ghzBinaryVersion(bin) == ghzVersion {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	logf("installing ghz %s into %s (go install; about two minutes the first time)", ghzVersion, dir)
	cmd := exec.CommandContext(ctx, "go", "install", ghzModule+"/cmd/ghz@"+ghzVersion)
	cmd.Dir = dir // outside the module: go install pkg@version ignores it anyway
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s/cmd/ghz@%s: %w\n%s", ghzModule, ghzVersion, err, out)
	}
	if v := ghzBinaryVersion(bin); v != ghzVersion {
		return "", fmt.Errorf("installed %s, but it reports module version %q", bin, v)
	}
	return bin, nil
}

// ghzBinaryVersion is the ghz module version a binary was built from, as go
// version -m reports it, or "" when there is no such binary.
func ghzBinaryVersion(bin string) string {
	if _, err := os.Stat(bin); err != nil {
		return ""
	}
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "mod" && f[1] == ghzModule {
			return f[2]
		}
	}
	return ""
}

// ghzRun is one invocation of ghz.
type ghzRun struct {
	Call        string
	Data        string // inline JSON (-d)
	DataFile    string // a JSON file (-D)
	Duration    time.Duration
	Concurrency int
	Connections int
	RPS         int // 0: as fast as possible
}

// args are ghz's arguments for the run, writing a JSON report to out.
func (g ghzRun) args(addr, out string) []string {
	a := []string{
		"--insecure",
		"--call", g.Call,
		"--concurrency", strconv.Itoa(g.Concurrency),
		"--connections", strconv.Itoa(g.Connections),
		"--duration", g.Duration.String(),
		// In-flight calls at the end are dropped from the tally rather
		// than counted as errors of a closed connection.
		"--duration-stop", "ignore",
		"--disable-template-functions",
		"--disable-template-data",
		"--format", "json",
		"--output", out,
	}
	if g.RPS > 0 {
		a = append(a, "--rps", strconv.Itoa(g.RPS))
	}
	if g.DataFile != "" {
		a = append(a, "--data-file", g.DataFile)
	} else {
		a = append(a, "--data", g.Data)
	}
	return append(a, addr)
}

// ghzResult is what one ghz invocation measured.
type ghzResult struct {
	Report *ghzReport
	CPU    time.Duration // ghz's own user+system CPU time
}

// runGhz runs ghz and parses its JSON report, which it writes to a file in
// dir.
func runGhz(ctx context.Context, bin, dir, addr string, g ghzRun) (*ghzResult, error) {
	f, err := os.CreateTemp(dir, "ghz-*.json")
	if err != nil {
		return nil, err
	}
	out := f.Name()
	f.Close()
	defer os.Remove(out)
	// ghz connects and resolves the method by reflection before its clock
	// starts, and may wait for the calls in flight at the end; a run still
	// going a minute after its duration is stuck, and killed.
	rctx, cancel := context.WithTimeout(ctx, g.Duration+time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(rctx, bin, g.args(addr, out)...)
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if rctx.Err() != nil {
		return nil, fmt.Errorf("ghz %s did not finish within a minute of its %v duration; killed\n%s", g.Call, g.Duration, strings.TrimSpace(stderr.String()))
	}
	if runErr != nil {
		return nil, fmt.Errorf("ghz %s: %w\n%s", g.Call, runErr, strings.TrimSpace(stderr.String()))
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("ghz %s wrote no report: %w\n%s", g.Call, err, strings.TrimSpace(stderr.String()))
	}
	rep, err := parseGhzReport(raw)
	if err != nil {
		return nil, fmt.Errorf("ghz %s: %w", g.Call, err)
	}
	res := &ghzResult{Report: rep}
	if ps := cmd.ProcessState; ps != nil {
		res.CPU = ps.UserTime() + ps.SystemTime()
	}
	return res, nil
}

// ghzReport is the part of ghz's JSON report the harness reads. Durations
// are in nanoseconds.
type ghzReport struct {
	Count          uint64         `json:"count"`
	Total          time.Duration  `json:"total"`
	Average        time.Duration  `json:"average"`
	Fastest        time.Duration  `json:"fastest"`
	Slowest        time.Duration  `json:"slowest"`
	RPS            float64        `json:"rps"`
	EndReason      string         `json:"endReason"`
	ErrorDist      map[string]int `json:"errorDistribution"`
	StatusCodeDist map[string]int `json:"statusCodeDistribution"`
	LatencyDist    []struct {
		Percentage int           `json:"percentage"`
		Latency    time.Duration `json:"latency"`
	} `json:"latencyDistribution"`
	Details []struct {
		Latency time.Duration `json:"latency"`
		Error   string        `json:"error"`
		Status  string        `json:"status"`
	} `json:"details"`
}

// parseGhzReport decodes ghz's JSON report.
func parseGhzReport(raw []byte) (*ghzReport, error) {
	var r ghzReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("reading the JSON report: %w", err)
	}
	if r.Count == 0 {
		return nil, errors.New("the report counts no calls")
	}
	if r.Total <= 0 {
		return nil, errors.New("the report has no total duration")
	}
	return &r, nil
}

// errors is how many calls did not end OK.
func (r *ghzReport) errors() uint64 {
	var n uint64
	for status, c := range r.StatusCodeDist {
		if status != "OK" {
			n += uint64(c)
		}
	}
	return n
}

// errorSummary lists the distinct errors with their counts, most frequent
// first, at most five.
func (r *ghzReport) errorSummary() string {
	type kv struct {
		msg string
		n   int
	}
	var all []kv
	for m, n := range r.ErrorDist {
		all = append(all, kv{m, n})
	}
	slices.SortFunc(all, func(a, b kv) int { return b.n - a.n })
	var parts []string
	for i, e := range all {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("… %d more kinds", len(all)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%d× %s", e.n, e.msg))
	}
	return strings.Join(parts, "; ")
}

// latencies are the latencies of the calls that ended OK among those the
// report details, sorted. Like ghz's own distribution, they leave failed
// calls out (and a run with failed calls fails anyway).
func (r *ghzReport) latencies() []time.Duration {
	l := make([]time.Duration, 0, len(r.Details))
	for _, d := range r.Details {
		if d.Error == "" {
			l = append(l, d.Latency)
		}
	}
	slices.Sort(l)
	return l
}

// percentileOf is the p-th percentile of the latencies of the report's
// successful calls: from the details when present, else ghz's own
// distribution.
func (r *ghzReport) percentileOf(p int) time.Duration {
	if len(r.Details) > 0 {
		return percentile(r.latencies(), p)
	}
	for _, d := range r.LatencyDist {
		if d.Percentage == p {
			return d.Latency
		}
	}
	return 0
}

// percentile is the p-th percentile of sorted latencies, by the rank rule
// ghz uses (so that the two agree): the value at rank ceil(p/100·n).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := float64(p) / 100 * float64(len(sorted))
	i := int(rank)
	if rank == float64(i) {
		i--
	}
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}
