package translate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// detailsOf returns the ErrorInfo and RequestInfo details of a result.
func detailsOf(t *testing.T, r *Result) (*errdetails.ErrorInfo, *errdetails.RequestInfo) {
	t.Helper()
	var info *errdetails.ErrorInfo
	var req *errdetails.RequestInfo
	for _, a := range r.Proto().GetDetails() {
		m, err := a.UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		switch d := m.(type) {
		case *errdetails.ErrorInfo:
			info = d
		case *errdetails.RequestInfo:
			req = d
		}
	}
	return info, req
}

// TestStringCodes: a code in a JSON string counts only when its decoded
// value is plain ASCII decimal digits; Go's number syntax, signs, spaces and
// fractions do not, and escapes are decoded the same for matching and for
// metadata.
func TestStringCodes(t *testing.T) {
	tr := goldenTranslator(t)
	for _, tc := range []struct {
		name     string
		code     string // the JSON text of error_code
		reason   string
		metadata string // ErrorInfo metadata errorCode
	}{
		{"digits", `"9003"`, "MEETING_NOT_FOUND", "9003"},
		{"leading zeros are still digits", `"09003"`, "MEETING_NOT_FOUND", "9003"},
		{"escaped digit", `"\u0039003"`, "MEETING_NOT_FOUND", "9003"},
		{"every digit escaped", `"\u0039\u0030\u0030\u0033"`, "MEETING_NOT_FOUND", "9003"},
		{"underscore", `"9_003"`, "UNKNOWN_ERROR_CODE", "9_003"},
		{"hex float", `"0x232Bp0"`, "UNKNOWN_ERROR_CODE", "0x232Bp0"},
		{"hex float with a fraction", `"0x1.194p13"`, "UNKNOWN_ERROR_CODE", "0x1.194p13"},
		{"plus sign", `"+9003"`, "UNKNOWN_ERROR_CODE", "+9003"},
		{"minus sign", `"-9003"`, "UNKNOWN_ERROR_CODE", "-9003"},
		{"leading space", `" 9003"`, "UNKNOWN_ERROR_CODE", " 9003"},
		{"trailing newline", `"9003\n"`, "UNKNOWN_ERROR_CODE", "9003\n"},
		{"escaped space", `"\u00209003"`, "UNKNOWN_ERROR_CODE", " 9003"},
		{"fraction in a string", `"9003.0"`, "UNKNOWN_ERROR_CODE", "9003.0"},
		{"exponent in a string", `"9.003e3"`, "UNKNOWN_ERROR_CODE", "9.003e3"},
		{"full-width digits", `"９００３"`, "UNKNOWN_ERROR_CODE", "９００３"},
		{"empty string", `""`, "UNKNOWN_ERROR_CODE", ""},
		{"19 digits", `"0000000000000009003"`, "UNKNOWN_ERROR_CODE", "0000000000000009003"},
		{"18 digits", `"000000000000009003"`, "MEETING_NOT_FOUND", "9003"},
		{"a JSON number still counts", `9003`, "MEETING_NOT_FOUND", "9003"},
		{"an integral JSON float still counts", `9.003e3`, "MEETING_NOT_FOUND", "9003"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tr.Translate(500, []byte(`{"error_info":{"error_code":`+tc.code+`}}`), nil)
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			if r.Reason() != tc.reason {
				t.Errorf("reason %s, want %s", r.Reason(), tc.reason)
			}
			info, _ := detailsOf(t, r)
			if got := info.GetMetadata()[keyErrorCode]; got != tc.metadata {
				t.Errorf("metadata errorCode %q, want %q", got, tc.metadata)
			}
			if _, ok := r.ErrorCode(); ok != (tc.reason != "UNKNOWN_ERROR_CODE") {
				t.Errorf("ErrorCode() numeric = %v", ok)
			}
		})
	}
}

// TestTraceHeaderChoice: the trace id never depends on map order.
func TestTraceHeaderChoice(t *testing.T) {
	tr := goldenTranslator(t)
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"two spellings: the name that sorts first", map[string]string{"x-tc-trace": "lower", "X-TC-Trace": "canonical", "X-Tc-Trace": "mixed"}, "canonical"},
		{"an empty value does not count", map[string]string{"X-TC-Trace": "", "x-tc-trace": "lower"}, "lower"},
		{"a value without printable characters does not count", map[string]string{"X-TC-Trace": "\r\n\x00", "x-tc-trace": "lower"}, "lower"},
		{"X-TC-Trace beats Gw-Trace-Id", map[string]string{"gw-trace-id": "gw", "x-tc-trace": "tc"}, "tc"},
		{"Gw-Trace-Id spellings", map[string]string{"gw-trace-id": "lower", "GW-TRACE-ID": "upper", "Gw-Trace-Id": "canonical"}, "upper"},
		{"other headers change nothing", map[string]string{"X-TC-Trace-Extra": "no", "X-TC-Traces": "no", "Gw-Trace-Id": "gw"}, "gw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Go randomises map iteration: many runs see many orders.
			for range 64 {
				r := tr.Translate(500, []byte(`{"error_info":{"error_code":9003}}`), &Options{Headers: tc.headers})
				_, req := detailsOf(t, r)
				if got := req.GetRequestId(); got != tc.want {
					t.Fatalf("request_id %q, want %q", got, tc.want)
				}
			}
			// A TraceFinder shown the headers in name order and in the
			// reverse order finds the same id, and UseTrace hands it on.
			names := slices.Sorted(maps.Keys(tc.headers))
			reversed := slices.Clone(names)
			slices.Reverse(reversed)
			for _, order := range [][]string{names, reversed} {
				var f TraceFinder
				for _, name := range order {
					f.See(name, tc.headers[name])
				}
				if got := f.ID(); got != tc.want {
					t.Errorf("TraceFinder shown %q: %q, want %q", order, got, tc.want)
				}
				opts := &Options{Headers: tc.headers}
				opts.UseTrace(&f)
				_, req := detailsOf(t, tr.Translate(500, []byte(`{"error_info":{"error_code":9003}}`), opts))
				if got := req.GetRequestId(); got != tc.want {
					t.Errorf("with UseTrace: request_id %q, want %q", got, tc.want)
				}
			}
		})
	}
}

// TestUseTrace: the id UseTrace gives is the one used, Headers unsearched,
// and a finder that saw no trace header gives no RequestInfo.
func TestUseTrace(t *testing.T) {
	t.Parallel()
	tr := goldenTranslator(t)
	body := []byte(`{"error_info":{"error_code":9003}}`)
	var other TraceFinder
	other.See("gw-trace-id", "from the finder")
	opts := &Options{Headers: map[string]string{"X-TC-Trace": "from the headers"}}
	opts.UseTrace(&other)
	if _, req := detailsOf(t, tr.Translate(500, body, opts)); req.GetRequestId() != "from the finder" {
		t.Errorf("request_id %q, want the finder's", req.GetRequestId())
	}
	opts.UseTrace(&TraceFinder{})
	if _, req := detailsOf(t, tr.Translate(500, body, opts)); req != nil {
		t.Errorf("a finder that saw no trace header gave RequestInfo %v", req)
	}
}

// TestTraceIDPrintable: control and format characters never reach
// RequestInfo.request_id or the nonce metadata, and the id stays bounded.
func TestTraceIDPrintable(t *testing.T) {
	tr := goldenTranslator(t)
	long := strings.Repeat("\x00a\r\n", 200)
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    string
		want    string
		nonce   string
	}{
		{"CR LF NUL ESC dropped", map[string]string{"X-TC-Trace": "ab\r\nc\x00d\x1b[31me"}, `{"error_info":{"error_code":9003}}`, "abcd[31me", ""},
		{"DEL, C1 and bidi override dropped", map[string]string{"X-TC-Trace": "a\x7fb\u0085c\u202ed\u200be"}, `{"error_info":{"error_code":9003}}`, "abcde", ""},
		{"Chinese and spaces kept", map[string]string{"X-TC-Trace": "追踪 id 1"}, `{"error_info":{"error_code":9003}}`, "追踪 id 1", ""},
		{"invalid UTF-8 replaced", map[string]string{"X-TC-Trace": "a\xffb"}, `{"error_info":{"error_code":9003}}`, "a\uFFFDb", ""},
		{"bounded after filtering", map[string]string{"X-TC-Trace": long}, `{"error_info":{"error_code":9003}}`, strings.Repeat("a", maxTraceBytes-len(ellipsis)) + ellipsis, ""},
		{"escaped controls in a nonce", nil, `{"code":1005,"message":"x","nonce":"n\u0000o\r\nnce\u001b"}`, "nonce", "nonce"},
		{"a nonce of controls only gives no RequestInfo", nil, `{"code":1005,"message":"x","nonce":"\r\n"}`, "", ""},
		{"a nonce bounded after its controls are dropped", nil, `{"code":1005,"message":"x","nonce":"abc` + strings.Repeat(`\u0001`, 200) + `def"}`, "abcdef", "abcdef"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tr.Translate(400, []byte(tc.body), &Options{Headers: tc.headers})
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			info, req := detailsOf(t, r)
			if got := req.GetRequestId(); got != tc.want {
				t.Errorf("request_id %q, want %q", got, tc.want)
			}
			if (req != nil) != (tc.want != "") {
				t.Errorf("RequestInfo present = %v, want %v", req != nil, tc.want != "")
			}
			if got, ok := info.GetMetadata()[keyNonce]; ok && got != tc.nonce {
				t.Errorf("nonce %q, want %q", got, tc.nonce)
			}
			if len(req.GetRequestId()) > maxTraceBytes {
				t.Errorf("request_id is %d bytes, over %d", len(req.GetRequestId()), maxTraceBytes)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"MEETING_NOT_FOUND", 64, "MEETING_NOT_FOUND"},
		{"A\r\nB\x00C\x1bD", 64, "ABCD"},
		{"abcdefghij", 8, "abcde…"},
		{"abcdefgh", 8, "abcdefgh"},
		{"会议不存在", 10, "会议…"},
		{"\x00\x01", 8, ""},
		{"abcd", 0, "…"}, // the bound is never below the ellipsis
	} {
		got := Printable(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("Printable(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) || !utf8.ValidString(got) {
				t.Errorf("Printable(%q) = %q holds %U", tc.in, got, r)
			}
		}
	}
}

// TestMethodCaseInsensitive: idempotency does not depend on the method's
// letter case.
func TestMethodCaseInsensitive(t *testing.T) {
	for _, tc := range []struct {
		method     string
		idempotent bool
	}{
		{"GET", true}, {"get", true}, {"Get", true}, {"gEt", true}, {"Head", true}, {"pUT", true},
		{"Delete", true}, {"options", true}, {"POST", false}, {"Post", false}, {"PATCH", false},
		{"GET ", false}, {"GETS", false}, {"", false}, {"ＧＥＴ", false},
	} {
		if got := (&Options{Method: tc.method}).idempotent(); got != tc.idempotent {
			t.Errorf("method %q: idempotent %v, want %v", tc.method, got, tc.idempotent)
		}
	}
}

// TestRetryAfterServerStatus: a fallback reason gives RetryInfo to an
// idempotent request after HTTP 429, 500, 502, 503 and 504, and after no
// other status.
func TestRetryAfterServerStatus(t *testing.T) {
	tr := goldenTranslator(t)
	retried := map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true}
	for status := 100; status <= 599; status++ {
		for _, body := range []string{`{"error_info":{"error_code":123456}}`, `<html>gateway</html>`} {
			r := tr.Translate(status, []byte(body), &Options{Method: "GET"})
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			delay, ok := r.RetryDelay()
			if ok != retried[status] || (ok && delay != time.Second) {
				t.Errorf("HTTP %d, %s: RetryDelay() = %v, %v; want retry %v", status, r.Reason(), delay, ok, retried[status])
			}
			if r2 := tr.Translate(status, []byte(body), &Options{Method: "POST"}); func() bool { _, ok := r2.RetryDelay(); return ok }() {
				t.Errorf("HTTP %d: a POST gets RetryInfo", status)
			}
		}
	}
}

func TestCheckLocale(t *testing.T) {
	for _, tc := range []struct {
		tag     string
		wantErr string
	}{
		{"zh-CN", ""}, {"en", ""}, {"zh_CN", ""}, {"de-CH-1996", ""}, {"en-US-x-private", ""},
		{"12345678", "not a valid BCP-47 language tag"},
		{"xx", "not a valid BCP-47 language tag"},
		{"en US", "not a valid BCP-47 language tag"},
		{"", "empty"},
		{strings.Repeat("a-", 40), "at most 64"},
	} {
		err := CheckLocale(tc.tag)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("CheckLocale(%q) = %v, want nil", tc.tag, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("CheckLocale(%q) = %v, want an error saying %q", tc.tag, err, tc.wantErr)
		}
	}
}

// TestParsedLocalesStayBounded: the memo of parsed tags never grows past
// its bound, and tags past it are still parsed right.
func TestParsedLocalesStayBounded(t *testing.T) {
	for i := range maxParsedLocales + 100 {
		tag := fmt.Sprintf("zh-x-%06d", i)
		if l, ok := parseLocale(tag); !ok || l != localeZhCN {
			t.Fatalf("parseLocale(%q) = %v, %v", tag, l, ok)
		}
		if l, ok := parseLocale(fmt.Sprintf("fr-x-%06d", i)); !ok || l != localeEnUS {
			t.Fatalf("parseLocale(fr-x-%06d) = %v, %v", i, l, ok)
		}
	}
	n := 0
	parsedLocales.Range(func(any, any) bool { n++; return true })
	if n > maxParsedLocales {
		t.Errorf("%d tags remembered, bound %d", n, maxParsedLocales)
	}
	if _, ok := parseLocale("12345678"); ok {
		t.Error("12345678 accepted once the memo is full")
	}
}
