package uncatalogued_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/translate"
	"github.com/errbridge/errbridge/uncatalogued"
	"github.com/prometheus/client_golang/prometheus"
)

const rest = errbridgev1.ApiFamily_API_FAMILY_REST

// newTracker returns a tracker logging JSON lines into a buffer, and a
// registry holding it.
func newTracker(t *testing.T, opts ...uncatalogued.Option) (*uncatalogued.Tracker, *servertest.Buffer, *prometheus.Registry) {
	t.Helper()
	var logs servertest.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	tr, err := uncatalogued.New(append([]uncatalogued.Option{uncatalogued.WithLogger(logger)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(tr)
	return tr, &logs, reg
}

// logLine is a first-seen line.
type logLine struct {
	Msg             string `json:"msg"`
	Level           string `json:"level"`
	Family          string `json:"family"`
	Code            int64  `json:"code"`
	HTTPStatus      int    `json:"http_status"`
	UpstreamMessage string `json:"upstream_message"`
}

func lines(t *testing.T, logs *servertest.Buffer) []logLine {
	t.Helper()
	var out []logLine
	for _, l := range bytes.Split(bytes.TrimSpace([]byte(logs.String())), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var ll logLine
		if err := json.Unmarshal(l, &ll); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, ll)
	}
	return out
}

func TestTrackerBoundsTheSeries(t *testing.T) {
	t.Parallel()
	tr, logs, reg := newTracker(t)
	const distinct = uncatalogued.DefaultMaxCodes + 44
	var wg sync.WaitGroup
	for g := range 4 { // concurrent feeders, each seeing every code twice
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2 {
				for i := range distinct {
					tr.Observe(rest, int64(100000+(i+g*7)%distinct), 400, "m")
				}
			}
		}()
	}
	wg.Wait()
	got := series(t, reg)
	if len(got) != uncatalogued.DefaultMaxCodes+1 {
		t.Errorf("%d series, want %d and other", len(got), uncatalogued.DefaultMaxCodes)
	}
	total, other := 0.0, got["other/other"]
	for name, v := range got {
		total += v
		if name != "other/other" && (v != 8 || !strings.HasPrefix(name, "rest/")) {
			t.Errorf("series %s counts %v, want 8", name, v)
		}
	}
	if total != 8*distinct || other != 8*(distinct-uncatalogued.DefaultMaxCodes) {
		t.Errorf("counted %v in all and %v as other, want %v and %v", total, other, 8*distinct, 8*(distinct-uncatalogued.DefaultMaxCodes))
	}
	var firstSeen, overflow int
	for _, l := range lines(t, logs) {
		switch {
		case l.Msg == "uncatalogued upstream error code" && l.Level == "INFO":
			firstSeen++
		case l.Level == "WARN":
			overflow++
		}
	}
	if firstSeen != uncatalogued.DefaultMaxCodes || overflow != 1 {
		t.Errorf("%d first-seen lines and %d overflow lines, want %d and 1", firstSeen, overflow, uncatalogued.DefaultMaxCodes)
	}
}

func TestTrackerLogsOncePerCode(t *testing.T) {
	t.Parallel()
	tr, logs, reg := newTracker(t, uncatalogued.WithMaxCodes(10))
	for range 3 {
		tr.Observe(rest, 424242, 400, "first message")
		tr.Observe(errbridgev1.ApiFamily_API_FAMILY_OAUTH, 424242, 401, "oauth message")
	}
	got := lines(t, logs)
	want := []logLine{
		{Msg: "uncatalogued upstream error code", Level: "INFO", Family: "rest", Code: 424242, HTTPStatus: 400, UpstreamMessage: "first message"},
		{Msg: "uncatalogued upstream error code", Level: "INFO", Family: "oauth", Code: 424242, HTTPStatus: 401, UpstreamMessage: "oauth message"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("log lines:\n got %v\nwant %v", got, want)
	}
	if got := series(t, reg); got["rest/424242"] != 3 || got["oauth/424242"] != 3 || got["other/other"] != 0 {
		t.Errorf("series %v, want 3 for each family", got)
	}
}

// series returns the tracker's series as "family/code" → value.
func series(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != uncatalogued.MetricName {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			out[labels["family"]+"/"+labels["code"]] = m.GetCounter().GetValue()
		}
	}
	return out
}

// TestTrackerLogsNoHeaderNorBody translates responses whose headers and
// bodies hold marked text outside the message, and checks that only the
// sanitised, bounded message reaches the log.
func TestTrackerLogsNoHeaderNorBody(t *testing.T) {
	t.Parallel()
	tr, logs, _ := newTracker(t)
	headers := map[string]string{"X-TC-Trace": "TRACE-SECRET", "Authorization": "Bearer HEADER-SECRET", "Cookie": "HEADER-SECRET"}
	long := strings.Repeat("长", 60) // 180 bytes
	for i, body := range []string{
		`{"error_info":{"error_code":424201,"message":"line one\r\nline two\u0000\u001b[31m red","token":"BODY-SECRET"},"nonce":"BODY-SECRET"}`,
		`{"code":424202,"message":"` + long + `","access_token":"BODY-SECRET"}`,
		`{"error_info":{"error_code":424203,"new_error_code":1000424203},"secret":"BODY-SECRET"}`,
	} {
		r := translate.Default().Translate(400+i, []byte(body), &translate.Options{Headers: headers})
		tr.ObserveResult(r, 400+i)
		tr.ObserveResult(r, 400+i)
	}
	// Not uncatalogued: a catalogued code, a success, an unparseable body.
	for _, body := range []string{`{"error_info":{"error_code":9003,"message":"BODY-SECRET"}}`, `{}`, `BODY-SECRET`} {
		tr.ObserveResult(translate.Default().Translate(400, []byte(body), nil), 400)
	}
	all := logs.String()
	for _, secret := range []string{"SECRET", "\\r", "\\n", "\\u0000", "\\u001b"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log holds %q:\n%s", secret, all)
		}
	}
	got := lines(t, logs)
	if len(got) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(got), all)
	}
	if m := got[0].UpstreamMessage; m != "line one  line two[31m red" {
		t.Errorf("sanitised message %q", m)
	}
	if m := got[1].UpstreamMessage; m != strings.Repeat("长", 42) || got[1].Family != "oauth" || got[1].HTTPStatus != 401 {
		t.Errorf("line %+v: want 42 whole runes (126 bytes) of the message", got[1])
	}
	if got[2].UpstreamMessage != "" || got[2].Code != 424203 {
		t.Errorf("line %+v", got[2])
	}
}

func TestObserveResponse(t *testing.T) {
	t.Parallel()
	tr, logs, reg := newTracker(t)
	unknown := &errbridgev1.TranslateResponse{
		Family:    rest,
		Entry:     &errbridgev1.TranslateResponse_FallbackReason{FallbackReason: errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE},
		ErrorCode: 777,
	}
	tr.ObserveResponse(unknown, 500)
	tr.ObserveResponse(&errbridgev1.TranslateResponse{Family: rest, Entry: &errbridgev1.TranslateResponse_RestCode{RestCode: 9003}, ErrorCode: 9003}, 400)
	tr.ObserveResponse(&errbridgev1.TranslateResponse{Entry: unknown.Entry}, 400) // a non-numeric code
	if got := series(t, reg); len(got) != 2 || got["rest/777"] != 1 {             // 777 and the other series
		t.Errorf("series %v, want 777's once and other", got)
	}
	if got := lines(t, logs); len(got) != 1 || got[0].Code != 777 || got[0].HTTPStatus != 500 {
		t.Errorf("lines %v", got)
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "MEETING CANCLED", "MEETING CANCLED"},
		{"controls dropped, spaces kept", "a\x00b\x1bc\td\ne\u3000f", "abc d e f"},
		{"invalid UTF-8 dropped", "a\xffb\xc3", "ab"},
		{"bidi override dropped", "a\u202eb", "ab"},
		{"cut on a rune boundary", strings.Repeat("a", 127) + "é", strings.Repeat("a", 127)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := uncatalogued.Sanitize(tc.in, uncatalogued.MaxMessageBytes); got != tc.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, opt := range []uncatalogued.Option{nil, uncatalogued.WithLogger(nil), uncatalogued.WithMaxCodes(0), uncatalogued.WithMaxCodes(uncatalogued.MaxMaxCodes + 1)} {
		if _, err := uncatalogued.New(opt); err == nil {
			t.Error("New accepted a bad option")
		}
	}
}
