package proxy_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
)

// TestUpstreamShapes sends every odd shape the real upstream has been seen
// to answer with through the proxy, in each body mode.
func TestUpstreamShapes(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	for _, tc := range []struct {
		name, method, path, mode string
		status                   int    // the proxy's answer
		code, reason             string // "" for a success passed through
		retryAfter               string
		check                    func(t *testing.T, body []byte)
	}{
		{name: "success", method: "GET", path: proxytest.OKPath, status: 200,
			check: equals(proxytest.OKBody())},
		{name: "empty 200", method: "POST", path: proxytest.EmptyOKPath, status: 200, check: equals("")},
		{name: "slow chunked success", method: "GET", path: proxytest.SlowPath + "?chunks=4&interval=10ms", status: 200,
			check: equals(`[{"chunk":0},{"chunk":1},{"chunk":2},{"chunk":3}]`)},
		{name: "HTML 502, GET", method: "GET", path: proxytest.HTMLBadGatewayPath, status: 502,
			code: "UNAVAILABLE", reason: "UNPARSEABLE_BODY", retryAfter: "1", check: contains("<h1>502 Bad Gateway</h1>")},
		{name: "HTML 502, POST", method: "POST", path: proxytest.HTMLBadGatewayPath, status: 502,
			code: "UNAVAILABLE", reason: "UNPARSEABLE_BODY", check: contains("<h1>502 Bad Gateway</h1>")},
		{name: "HTML 502, POST, google", method: "POST", path: proxytest.HTMLBadGatewayPath, mode: "google", status: 502,
			code: "UNAVAILABLE", reason: "UNPARSEABLE_BODY", check: contains(`"status":"UNAVAILABLE"`)},
		{name: "HTML 502, GET, google", method: "GET", path: proxytest.HTMLBadGatewayPath, mode: "google", status: 503,
			code: "UNAVAILABLE", reason: "UNPARSEABLE_BODY", retryAfter: "1", check: contains(`"code":503`)},
		{name: "HTML 502, sdk", method: "GET", path: proxytest.HTMLBadGatewayPath, mode: "sdk", status: 502,
			code: "UNAVAILABLE", reason: "UNPARSEABLE_BODY", retryAfter: "1", check: sdkCode(502)},
		{name: "OAuth code at 200", method: "POST", path: proxytest.OAuthErrorAt200Path, status: 200,
			code: "UNAUTHENTICATED", reason: "ACCESS_TOKEN_EXPIRED", check: contains(`"code":1005}`)},
		{name: "OAuth code at 200, google", method: "POST", path: proxytest.OAuthErrorAt200Path, mode: "google", status: 401,
			code: "UNAUTHENTICATED", reason: "ACCESS_TOKEN_EXPIRED", check: contains(`"status":"UNAUTHENTICATED"`)},
		{name: "OAuth code at 200, sdk", method: "POST", path: proxytest.OAuthErrorAt200Path, mode: "sdk", status: 401,
			code: "UNAUTHENTICATED", reason: "ACCESS_TOKEN_EXPIRED", check: all(sdkCode(1005), contains(`"data":{"access_token":""`), contains(`"nonce":"n-200"`))},
		{name: "429 without a body", method: "GET", path: proxytest.TooManyRequestsPath, status: 429,
			code: "RESOURCE_EXHAUSTED", reason: "UNPARSEABLE_BODY", retryAfter: "1", check: equals("")},
		{name: "429 without a body, POST", method: "POST", path: proxytest.TooManyRequestsPath, status: 429,
			code: "RESOURCE_EXHAUSTED", reason: "UNPARSEABLE_BODY", check: equals("")},
		{name: "403 without a body", method: "GET", path: proxytest.ForbiddenPath, status: 403,
			code: "PERMISSION_DENIED", reason: "UNPARSEABLE_BODY", check: equals("")},
		{name: "403 without a body, sdk", method: "GET", path: proxytest.ForbiddenPath, mode: "sdk", status: 403,
			code: "PERMISSION_DENIED", reason: "UNPARSEABLE_BODY", check: sdkCode(403)},
		{name: "flat REST shape, sdk", method: "GET", path: proxytest.CodePath + "rest/13603?flat=1", mode: "sdk", status: 400,
			code: "FAILED_PRECONDITION", reason: "MEETING_ENDED", check: all(sdkCode(13603), contains(`"new_error_code":101013603`), contains(`"message":"flat 13603"`))},
		{name: "documented shape without new_error_code, sdk", method: "GET", path: proxytest.FlakyPath + "documented?code=9003&times=1000", mode: "sdk", status: 400,
			code: "NOT_FOUND", reason: "MEETING_NOT_FOUND", check: sdkCode(9003)},
		{name: "pretty-printed rate limit", method: "GET", path: proxytest.CodePath + "rest/190310?pretty=1", status: 400,
			code: "RESOURCE_EXHAUSTED", reason: "APP_MINUTE_RATE_EXCEEDED", retryAfter: "1", check: contains("\n    \"error_info\": {")},
		{name: "rate limit, google", method: "POST", path: proxytest.CodePath + "rest/190310", mode: "google", status: 429,
			code: "RESOURCE_EXHAUSTED", reason: "APP_MINUTE_RATE_EXCEEDED", retryAfter: "1", check: contains(`"retryDelay":"1s"`)},
		{name: "gzip error body", method: "GET", path: proxytest.GzipErrorPath, status: 400,
			code: "NOT_FOUND", reason: "MEETING_NOT_FOUND", check: gzipped(proxytest.Body("rest", 9003, false))},
		{name: "gzip error body, google", method: "GET", path: proxytest.GzipErrorPath, mode: "google", status: 404,
			code: "NOT_FOUND", reason: "MEETING_NOT_FOUND", check: contains(`"status":"NOT_FOUND"`)},
		{name: "unknown code", method: "GET", path: proxytest.CodePath + "rest/88888", status: 400,
			code: "INVALID_ARGUMENT", reason: "UNKNOWN_ERROR_CODE", check: contains("88888")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{"Accept-Encoding": {"gzip"}} // the client reads bodies as sent
			if tc.mode != "" {
				h.Set(proxy.HeaderErrorBody, tc.mode)
			}
			resp, body := tp.do(t, tc.method, tc.path, h, nil)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			if got := resp.Header.Get(proxy.HeaderCode); got != tc.code {
				t.Errorf("%s = %q, want %q", proxy.HeaderCode, got, tc.code)
			}
			if got := resp.Header.Get(proxy.HeaderReason); got != tc.reason {
				t.Errorf("%s = %q, want %q", proxy.HeaderReason, got, tc.reason)
			}
			if got := resp.Header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tc.retryAfter)
			}
			if tc.code == "" {
				if v := resp.Header.Get(proxy.HeaderStatusBin); v != "" {
					t.Errorf("a success carries %s", proxy.HeaderStatusBin)
				}
			} else if st := statusOf(t, resp); st.GetCode() == 0 {
				t.Error("status header decodes to OK")
			}
			tc.check(t, body)
		})
	}
}

func equals(want string) func(*testing.T, []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		if string(body) != want {
			t.Errorf("body %q, want %q", body, want)
		}
	}
}

func contains(want string) func(*testing.T, []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		if !strings.Contains(string(body), want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
}

func all(checks ...func(*testing.T, []byte)) func(*testing.T, []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		for _, c := range checks {
			c(t, body)
		}
	}
}

// sdkCode checks a repaired envelope: integer error_code, a new_error_code
// and a message, as every official SDK needs.
func sdkCode(want int64) func(*testing.T, []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		var s sdkError
		if err := json.Unmarshal(body, &s); err != nil {
			t.Fatalf("sdk body %s: %v", body, err)
		}
		ei := s.ErrorInfo
		if ei.ErrorCode == nil || *ei.ErrorCode != want || ei.NewErrorCode == nil || ei.Message == nil || *ei.Message == "" {
			t.Errorf("sdk body %s: want error_code %d, a new_error_code and a message", body, want)
		}
	}
}

// gzipped checks a body still gzip-encoded as the upstream sent it.
func gzipped(want string) func(*testing.T, []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("body is not gzip: %v", err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != want {
			t.Errorf("gunzipped body %q (%v), want %q", got, err, want)
		}
	}
}

// TestTrailersOfAReplacedBody: an upstream error's trailers describe its
// body, so they go with it in the upstream mode and are dropped, their
// announcement too, where the proxy writes a body of its own.
func TestTrailersOfAReplacedBody(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Trailer", "X-Body-Sum")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, proxytest.Body("rest", 9003, false))
		w.Header().Set("X-Body-Sum", "abc")
	}))
	t.Cleanup(up.Close)
	tp := startProxy(t, up.URL)
	for _, mode := range []string{"upstream", "google", "sdk"} {
		resp, _ := tp.do(t, http.MethodGet, "/v1/meetings/1", http.Header{proxy.HeaderErrorBody: {mode}}, nil)
		if resp.Header.Get(proxy.HeaderReason) != "MEETING_NOT_FOUND" {
			t.Fatalf("%s: reason %q, want MEETING_NOT_FOUND", mode, resp.Header.Get(proxy.HeaderReason))
		}
		sum, announced := resp.Trailer.Get("X-Body-Sum"), resp.Header.Get("Trailer")
		if mode == "upstream" && sum != "abc" {
			t.Errorf("upstream mode: trailer %q, want the upstream's abc", sum)
		}
		if mode != "upstream" && (sum != "" || announced != "" || len(resp.Trailer) > 0) {
			t.Errorf("%s mode: trailers %v (announced %q) with the proxy's own body; want none", mode, resp.Trailer, announced)
		}
	}
}
