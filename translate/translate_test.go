package translate

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/codes"
)

func TestRetryPolicies(t *testing.T) {
	tr := goldenTranslator(t)
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		opts      *Options
		retryable bool
		delay     time.Duration
	}{
		{"rate limit waits for the next minute", 400, `{"error_info":{"error_code":190310}}`, nil, true, 45 * time.Second},
		{"hourly limit waits for the next hour", 400, `{"error_info":{"error_code":500029}}`, nil, true, 1785 * time.Second},
		{"daily quota waits for midnight UTC+8", 400, `{"error_info":{"error_code":190311}}`, nil, true, 52185 * time.Second},
		{"monthly quota never", 400, `{"error_info":{"error_code":500168}}`, nil, false, 0},
		{"replay after a fixed delay", 400, `{"error_info":{"error_code":190301}}`, nil, true, time.Second},
		{"server error, POST: no", 500, `{"error_info":{"error_code":41}}`, &Options{Method: "POST"}, false, 0},
		{"server error, GET: yes", 500, `{"error_info":{"error_code":41}}`, &Options{Method: "GET"}, true, time.Second},
		{"server error, lower-case get: yes", 500, `{"error_info":{"error_code":41}}`, &Options{Method: "get"}, true, time.Second},
		{"server error, marked idempotent", 500, `{"error_info":{"error_code":41}}`, &Options{Method: "POST", Idempotent: true}, true, time.Second},
		{"unknown code on 400: no", 400, `{"error_info":{"error_code":1}}`, &Options{Idempotent: true}, false, 0},
		{"unknown code on 503: yes when idempotent", 503, `{"error_info":{"error_code":1}}`, &Options{Idempotent: true}, true, time.Second},
		{"not found: never", 500, `{"error_info":{"error_code":9003}}`, &Options{Idempotent: true}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tr.Translate(tc.status, []byte(tc.body), tc.opts)
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			delay, ok := r.RetryDelay()
			if ok != tc.retryable || delay != tc.delay {
				t.Errorf("RetryDelay() = %v, %v; want %v, %v", delay, ok, tc.delay, tc.retryable)
			}
		})
	}
}

func TestUntilNextWindow(t *testing.T) {
	utc8 := chinaStandardTime
	for _, tc := range []struct {
		name   string
		now    time.Time
		window errbridgev1.QuotaWindow
		loc    *time.Location
		want   time.Duration
	}{
		{"minute, mid-second rounds up", time.Date(2026, 1, 1, 10, 0, 59, 1, utc8), errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE, utc8, time.Second},
		{"minute, on the boundary", time.Date(2026, 1, 1, 10, 0, 0, 0, utc8), errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE, utc8, time.Minute},
		{"day in UTC+8 seen from UTC", time.Date(2026, 1, 1, 15, 59, 0, 0, time.UTC), errbridgev1.QuotaWindow_QUOTA_WINDOW_DAY, utc8, time.Minute},
		{"day in UTC", time.Date(2026, 1, 1, 15, 59, 0, 0, time.UTC), errbridgev1.QuotaWindow_QUOTA_WINDOW_DAY, time.UTC, 8*time.Hour + time.Minute},
		{"hour in a half-hour zone", time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC), errbridgev1.QuotaWindow_QUOTA_WINDOW_HOUR, time.FixedZone("IST", 5*3600+1800), 30 * time.Minute},
		{"month end", time.Date(2026, 12, 31, 23, 59, 59, 0, utc8), errbridgev1.QuotaWindow_QUOTA_WINDOW_MONTH, utc8, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := untilNextWindow(tc.now, tc.window, tc.loc); got != tc.want {
				t.Errorf("untilNextWindow = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseLocale(t *testing.T) {
	for _, tc := range []struct {
		tag  string
		want string
		ok   bool
	}{
		{"zh-CN", "zh-CN", true},
		{"zh_CN", "zh-CN", true},
		{"ZH", "zh-CN", true},
		{"zh-Hant-TW", "zh-CN", true},
		{"en-US", "en-US", true},
		{"en-GB", "en-US", true},
		{"fr", "en-US", true},
		{"zhx", "en-US", true},
		{"cmn", "zh-CN", true},
		{"12345678", "en-US", false},
		{"xx", "en-US", false},
		{"", "en-US", false},
		{"zh--CN", "en-US", false},
		{"en US", "en-US", false},
		{"toolongsubtag-x", "en-US", false},
		{strings.Repeat("a-", 40), "en-US", false},
	} {
		got, ok := ParseLocale(tc.tag)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLocale(%q) = %q, %v; want %q, %v", tc.tag, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCodeForHTTPStatus(t *testing.T) {
	for status, want := range map[int]codes.Code{
		200: codes.OK, 204: codes.OK, 400: codes.InvalidArgument, 401: codes.Unauthenticated,
		403: codes.PermissionDenied, 404: codes.NotFound, 409: codes.Aborted, 418: codes.FailedPrecondition,
		429: codes.ResourceExhausted, 499: codes.Canceled, 500: codes.Internal, 501: codes.Unimplemented,
		502: codes.Unavailable, 503: codes.Unavailable, 504: codes.DeadlineExceeded, 599: codes.Internal,
		0: codes.Unknown, 302: codes.Unknown, 999: codes.Unknown, -1: codes.Unknown,
	} {
		if got := CodeForHTTPStatus(status); got != want {
			t.Errorf("CodeForHTTPStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestAppendTextBounds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		json  string // a JSON string literal, quotes included
		limit int
		want  string
	}{
		{"fits", `"abc"`, 8, "abc"},
		{"cut with ellipsis", `"abcdefghij"`, 8, "abcde…"},
		{"escaped, fits exactly", `"ab\u0063defgh"`, 8, "abcdefgh"},
		{"escaped, one byte over", `"ab\u0063defghi"`, 8, "abcde…"},
		{"cut on a rune boundary", `"会议不存在"`, 10, "会议" + ellipsis},
		{"escapes decoded", `"a\nb\u00e9\"c"`, 16, "a\nbé\"c"},
		{"surrogate pair", `"\ud83d\ude00"`, 8, "😀"},
		{"lone surrogate replaced", `"\ud800x"`, 8, "\uFFFDx"},
		{"invalid bytes replaced", "\"a\xffb\"", 8, "a\uFFFDb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b body
			scanBody([]byte(`{"message":`+tc.json+`}`), &b)
			if b.failure != parsedOK {
				t.Fatalf("scan failed: %v", b.failure)
			}
			got := string(appendText(nil, b.data, b.top.message, tc.limit))
			if got != tc.want {
				t.Errorf("appendText = %q, want %q", got, tc.want)
			}
			if len(got) > tc.limit || !utf8.ValidString(got) {
				t.Errorf("%q breaks the bound %d or is not UTF-8", got, tc.limit)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
	}{
		{"empty domain", WithDomain("")},
		{"domain with a slash", WithDomain("a/b")},
		{"malformed locale", WithDefaultLocale("not a locale")},
		{"nil location", WithQuotaLocation(nil)},
		{"nil clock", WithClock(nil)},
		{"nil catalog", WithCatalog(nil)},
	} {
		if _, err := New(tc.opt); err == nil {
			t.Errorf("%s: New succeeded", tc.name)
		}
	}
}

func TestOptionsApply(t *testing.T) {
	tr, err := New(WithDomain("errors.example.com"), WithDefaultLocale("zh"), WithQuotaLocation(time.UTC),
		WithClock(func() time.Time { return time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Translate(400, []byte(`{"error_info":{"error_code":190311}}`), nil)
	if err := checkInvariants(r); err != nil {
		t.Fatal(err)
	}
	if r.Domain() != "errors.example.com" {
		t.Errorf("Domain() = %q", r.Domain())
	}
	if _, l := r.LocalizedMessage(); l != "zh-CN" {
		t.Errorf("default locale not applied: %q", l)
	}
	if d, _ := r.RetryDelay(); d != time.Hour {
		t.Errorf("quota location not applied: delay %v, want 1h", d)
	}
}

func TestSuccess(t *testing.T) {
	for _, body := range []string{``, `{"code":0,"message":"SUCCESS","nonce":"x"}`, `{"meeting_number":1}`, `{"error_info":{"error_code":0}}`} {
		r := Default().Translate(200, []byte(body), nil)
		if r.Code() != codes.OK || r.Err() != nil || len(r.Proto().GetDetails()) != 0 || r.Reason() != "" {
			t.Errorf("200 %q: got %v %q with %d details", body, r.Code(), r.Reason(), len(r.Proto().GetDetails()))
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	tr := Default()
	done := make(chan error, 8)
	for i := range 8 {
		go func() {
			var err error
			for j := range 200 {
				r := tr.Translate(400+i%2*100, []byte(`{"error_info":{"error_code":190310,"message":"x"}}`), &Options{Locale: []string{"zh-CN", "en-US"}[j%2]})
				if e := checkInvariants(r); e != nil {
					err = e
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestBodyRead: a Result is read in the body for a catalogued code, an
// unknown one and a success, and not for a body the engine cannot read.
func TestBodyRead(t *testing.T) {
	tr := goldenTranslator(t)
	for _, tc := range []struct {
		status int
		body   string
		want   bool
	}{
		{400, `{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`, true},
		{400, `{"error_info":{"error_code":987654321}}`, true},
		{200, `{"code":1005,"message":"invalid code","nonce":"n1"}`, true},
		{200, `{"code":0,"message":"SUCCESS"}`, true},
		{400, `{"error_info":{"message":"no code"}}`, false},
		{502, `<html>Bad Gateway</html>`, false},
		{500, ``, false},
		{400, `{"error_info":{"error_code":9003`, false},
	} {
		if got := tr.Translate(tc.status, []byte(tc.body), nil).BodyRead(); got != tc.want {
			t.Errorf("%d %q: BodyRead %v, want %v", tc.status, tc.body, got, tc.want)
		}
	}
}

// TestEmptyBodyOfHEAD: an empty body is said to be expected when it
// answers a HEAD request, in any letter case, and plain otherwise.
func TestEmptyBodyOfHEAD(t *testing.T) {
	tr := goldenTranslator(t)
	for method, want := range map[string]string{
		"HEAD": "empty body: a response to HEAD carries none",
		"head": "empty body: a response to HEAD carries none",
		"GET":  "empty body",
		"":     "empty body",
	} {
		r := tr.Translate(404, nil, &Options{Method: method})
		if r.Reason() != "UNPARSEABLE_BODY" || r.Code() != codes.NotFound {
			t.Fatalf("%q: %s %v, want UNPARSEABLE_BODY NotFound", method, r.Reason(), r.Code())
		}
		info, _ := detailsOf(t, r)
		if got := info.GetMetadata()["parseError"]; got != want {
			t.Errorf("%q: parseError %q, want %q", method, got, want)
		}
	}
}
