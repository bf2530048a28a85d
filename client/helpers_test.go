package client_test

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// fixedNow is the clock of the tests' translators: 12:00:20 in UTC+8, 40
// seconds before the next minute.
var fixedNow = time.Date(2026, 3, 1, 4, 0, 20, 0, time.UTC)

func newTranslator(t *testing.T) *translate.Translator {
	t.Helper()
	tr, err := translate.New(translate.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	tr := newTranslator(t)
	translated := func(httpStatus int, body string) error {
		return tr.Translate(httpStatus, []byte(body), &translate.Options{Locale: "zh-CN"}).Err()
	}
	rateLimited := translated(400, `{"error_info":{"error_code":190310,"message":"too fast"}}`)
	notFound := translated(400, `{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)
	for _, tc := range []struct {
		name      string
		err       error
		reason    string
		domain    string
		upstream  int64 // 0: none
		delay     time.Duration
		hasDelay  bool
		retry     bool
		localized string
	}{
		{name: "nil"},
		{name: "error without a status", err: errors.New("plain")},
		{name: "UNAVAILABLE without details", err: status.Error(codes.Unavailable, "down"), retry: true},
		{name: "INTERNAL without details", err: status.Error(codes.Internal, "broken")},
		{name: "rate limited", err: rateLimited, reason: "APP_MINUTE_RATE_EXCEEDED", domain: translate.DefaultDomain,
			upstream: 190310, delay: 40 * time.Second, hasDelay: true, retry: true, localized: "每分钟总接口调用次数超过限制。"},
		{name: "not found", err: notFound, reason: "MEETING_NOT_FOUND", domain: translate.DefaultDomain,
			upstream: 9003, localized: "会议不存在。"},
		{name: "wrapped", err: fmt.Errorf("creating a meeting: %w", notFound), reason: "MEETING_NOT_FOUND",
			domain: translate.DefaultDomain, upstream: 9003, localized: "会议不存在。"},
		{name: "non-numeric upstream code", err: translated(400, `{"error_info":{"error_code":"E42"}}`),
			reason: "UNKNOWN_ERROR_CODE", domain: translate.DefaultDomain, localized: "上游返回了未收录的错误码。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := client.Reason(tc.err); got != tc.reason {
				t.Errorf("Reason = %q, want %q", got, tc.reason)
			}
			if got := client.Domain(tc.err); got != tc.domain {
				t.Errorf("Domain = %q, want %q", got, tc.domain)
			}
			if got, ok := client.UpstreamCode(tc.err); got != tc.upstream || ok != (tc.upstream != 0) {
				t.Errorf("UpstreamCode = %d, %v; want %d", got, ok, tc.upstream)
			}
			if got, ok := client.RetryDelay(tc.err); got != tc.delay || ok != tc.hasDelay {
				t.Errorf("RetryDelay = %v, %v; want %v, %v", got, ok, tc.delay, tc.hasDelay)
			}
			if got := client.ShouldRetry(tc.err); got != tc.retry {
				t.Errorf("ShouldRetry = %v, want %v", got, tc.retry)
			}
			if got, _ := client.LocalizedMessage(tc.err); got != tc.localized {
				t.Errorf("LocalizedMessage = %q, want %q", got, tc.localized)
			}
		})
	}
}

func TestParseIsNilSafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		d    client.Details
	}{
		{"nil error", client.Parse(nil)},
		{"nil status", client.ParseStatus(nil)},
		{"nil proto", client.ParseProto(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.d.Code != codes.OK || tc.d.Reason() != "" || tc.d.ShouldRetry() {
				t.Errorf("%+v is not an empty OK", tc.d)
			}
			if _, ok := tc.d.UpstreamCode(); ok {
				t.Error("an upstream code from nothing")
			}
		})
	}
}

func TestParseStatusReadsAllDetails(t *testing.T) {
	t.Parallel()
	tr := newTranslator(t)
	r := tr.Translate(400, []byte(`{"error_info":{"error_code":156009}}`), &translate.Options{Headers: map[string]string{"X-TC-Trace": "t-1"}})
	d := client.ParseStatus(r.Status())
	if d.Code != codes.ResourceExhausted || d.QuotaFailure == nil || d.Help == nil || d.RequestInfo.GetRequestId() != "t-1" {
		t.Errorf("details %+v lack the quota, help or request info", d)
	}
}

func TestTraceHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	if got := client.TraceHeaders(h); got != nil {
		t.Errorf("TraceHeaders of no headers = %v, want nil", got)
	}
	h.Set("Content-Type", "application/json")
	h.Set("x-tc-trace", "t1")
	h.Add("X-Tc-Trace", "t2")
	h.Set("GW-TRACE-ID", "g1")
	got := client.TraceHeaders(h)
	want := map[string]string{"X-TC-Trace": "t1", "Gw-Trace-Id": "g1"}
	if !maps.Equal(got, want) {
		t.Errorf("TraceHeaders = %v, want %v", got, want)
	}
	// The engine reads what the helper keeps.
	tr, err := translate.New()
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Translate(400, []byte(`{"error_info":{"error_code":9003}}`), &translate.Options{Headers: got})
	if id := client.ParseProto(r.Proto()).RequestInfo.GetRequestId(); id != "t1" {
		t.Errorf("RequestInfo.request_id = %q, want t1", id)
	}
}
