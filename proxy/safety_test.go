package proxy_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// rawRequest writes a request line and headers to the proxy over one TCP
// connection and returns the status code of the answer.
func rawRequest(t *testing.T, addr, request string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", request, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestOnlyTheUpstream: no CONNECT, no absolute-form target naming another
// host, Host rewritten to the upstream's.
func TestOnlyTheUpstream(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	addr := strings.TrimPrefix(tp.URL, "http://")
	upHost := strings.TrimPrefix(up.URL, "http://")
	for _, tc := range []struct {
		name, request string
		status        int
	}{
		{"CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", http.StatusMethodNotAllowed},
		{"absolute-form to another host", "GET http://example.com/echo HTTP/1.1\r\nHost: example.com\r\n\r\n", http.StatusBadRequest},
		{"absolute-form to another port", "GET http://127.0.0.1:1/echo HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n", http.StatusBadRequest},
		// net/http answers OPTIONS * itself; the proxy never sees it.
		{"asterisk", "OPTIONS * HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", http.StatusOK},
		{"absolute-form naming the upstream", "GET http://" + upHost + "/echo HTTP/1.1\r\nHost: " + upHost + "\r\n\r\n", http.StatusOK},
		{"absolute-form naming the upstream's host, no port", "GET http://127.0.0.1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", http.StatusOK},
		{"absolute-form naming another host, no port", "GET http://localhost/echo HTTP/1.1\r\nHost: localhost\r\n\r\n", http.StatusBadRequest},
		{"origin-form with a foreign Host", "GET /echo HTTP/1.1\r\nHost: example.com\r\n\r\n", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := rawRequest(t, addr, tc.request); got != tc.status {
				t.Errorf("status %d, want %d", got, tc.status)
			}
		})
	}

	req, _ := http.NewRequest(http.MethodGet, tp.URL+"/echo", nil)
	req.Host = "attacker.example"
	resp, err := tp.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e proxytest.Echo
	_ = json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if e.Host != upHost {
		t.Errorf("the upstream saw Host %q, want %q", e.Host, upHost)
	}
}

// TestHeadersForwarded: end-to-end headers and credentials reach the
// upstream; hop-by-hop headers (RFC 9110 section 7.6.1), those the
// Connection header names, and the proxy's own request header do not.
func TestHeadersForwarded(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	h := header(
		"X-TC-Key", "key-secret", "X-TC-Signature", "sig-secret", "AccessToken", "token-secret", "OpenId", "openid-secret",
		"Cookie", "session=cookie-secret", "X-TC-Timestamp", "1700000000", "AppId", "app",
		"Connection", "X-Hop-Secret", "X-Hop-Secret", "hop", "Keep-Alive", "timeout=5", "Proxy-Authorization", "Basic abc",
		"Te", "gzip", "Upgrade", "h2c", proxy.HeaderErrorBody, "google",
		"Accept-Encoding", "deflate, gzip, br, zstd",
	)
	resp, body := tp.do(t, http.MethodPost, proxytest.EchoPath+"?userid=u1", h, strings.NewReader(`{"subject":"x"}`))
	var e proxytest.Echo
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s: %v", resp.StatusCode, body, err)
	}
	for _, k := range []string{"X-Tc-Key", "X-Tc-Signature", "Accesstoken", "Openid", "Cookie", "X-Tc-Timestamp", "Appid"} {
		if len(e.Header[k]) == 0 {
			t.Errorf("%s was not forwarded: %v", k, e.Header)
		}
	}
	for _, k := range []string{"X-Hop-Secret", "Keep-Alive", "Proxy-Authorization", "Upgrade", "X-Errbridge-Error-Body", "X-Forwarded-For"} {
		if len(e.Header[k]) != 0 {
			t.Errorf("%s was forwarded", k)
		}
	}
	if got := e.Header["Accept-Encoding"]; len(got) != 1 || got[0] != "gzip" {
		t.Errorf("upstream was asked for Accept-Encoding %q, want only the coding the proxy decodes, gzip", got)
	}
	if e.Method != "POST" || e.RawQuery != "userid=u1" || e.BodySize != int64(len(`{"subject":"x"}`)) {
		t.Errorf("upstream saw %s ?%s with %d bytes", e.Method, e.RawQuery, e.BodySize)
	}
}

// TestCredentialsNeverLogged sends credentials, a query and a body with
// failing requests and checks that none of them reaches the log or the
// metrics, while the log line has what it should.
func TestCredentialsNeverLogged(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	secrets := []string{"key-secret", "sig-secret", "token-secret", "openid-secret", "cookie-secret", "query-secret", "body-secret"}
	h := header("X-TC-Key", secrets[0], "X-TC-Signature", secrets[1], "AccessToken", secrets[2], "OpenId", secrets[3], "Cookie", "s="+secrets[4])
	tp.do(t, http.MethodPost, proxytest.CodePath+"rest/190303?status=400&q="+secrets[5], h, strings.NewReader(secrets[6]))
	refused := startProxy(t, closedURL(t))
	refused.do(t, http.MethodGet, "/v1/users?q="+secrets[5], h, nil)
	logs, metrics := tp.logged(t)+refused.logged(t), tp.metrics(t)+refused.metrics(t)
	for _, s := range secrets {
		if strings.Contains(logs, s) || strings.Contains(metrics, s) {
			t.Errorf("%q leaked into the logs or metrics", s)
		}
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(tp.logged(t), "\n", 2)[0]), &line); err != nil {
		t.Fatalf("log line: %v\n%s", err, tp.logs)
	}
	for k, want := range map[string]any{"level": "INFO", "method": "POST", "path": "/code/rest/190303", "code": "UNAUTHENTICATED", "reason": "AUTHENTICATION_FAILED"} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if v, ok := line["latency_us"].(float64); !ok || v < 0 || v != float64(int64(v)) {
		t.Errorf("log line lacks latency_us in whole microseconds: %v", line)
	}
	if !strings.Contains(refused.logged(t), `"reason":"UPSTREAM_UNREACHABLE"`) || !strings.Contains(refused.logged(t), `"path":"/v1/users"`) {
		t.Errorf("the upstream failure was not logged as one line: %s", refused.logs)
	}
}

// TestBounds: request bodies over the limit get 413 (declared or chunked)
// and never reach the upstream whole; error bodies over the bound still
// stream whole in the upstream mode and become 502 in the others.
func TestBounds(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL, proxy.WithMaxRequestBytes(1024), proxy.WithMaxErrorBodyBytes(64))
	resp, body := tp.do(t, http.MethodPost, proxytest.EchoPath, nil, strings.NewReader(strings.Repeat("x", 2048)))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "1024") {
		t.Errorf("declared 2048 bytes: %d %s", resp.StatusCode, body)
	}
	resp, body = tp.do(t, http.MethodPost, proxytest.EchoPath, nil, io.MultiReader(strings.NewReader(strings.Repeat("x", 2048))))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 2048 bytes: %d %s", resp.StatusCode, body)
	}
	resp, body = tp.do(t, http.MethodPost, proxytest.EchoPath, nil, io.MultiReader(strings.NewReader(strings.Repeat("x", 1000))))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("chunked 1000 bytes: %d %s", resp.StatusCode, body)
	}
	long := proxytest.CodePath + "rest/9003?pretty=1" // longer than 64 bytes
	resp, body = tp.do(t, http.MethodGet, long, nil, nil)
	if resp.StatusCode != 400 || string(body) != proxytest.Body("rest", 9003, true) || resp.Header.Get(proxy.HeaderCode) == "" {
		t.Errorf("oversized error, upstream mode: %d %s", resp.StatusCode, body)
	}
	resp, body = tp.do(t, http.MethodGet, long, header(proxy.HeaderErrorBody, "google"), nil)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), `"code":502`) {
		t.Errorf("oversized error, google mode: %d %s", resp.StatusCode, body)
	}
	resp, body = tp.do(t, http.MethodGet, proxytest.OKPath, header(proxy.HeaderErrorBody, "loud"), nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), proxy.HeaderErrorBody) {
		t.Errorf("bad error body mode: %d %s", resp.StatusCode, body)
	}
}

// TestMetrics checks the request counter, the upstream histogram and the
// in-flight gauge after a few requests.
func TestMetrics(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	tp.do(t, http.MethodGet, proxytest.OKPath, nil, nil)
	tp.do(t, http.MethodGet, proxytest.CodePath+"rest/9003", nil, nil)
	tp.do(t, http.MethodGet, proxytest.CodePath+"rest/9003", nil, nil)
	tp.do(t, http.MethodGet, proxytest.HTMLBadGatewayPath, nil, nil)
	// A client may read its response before the handler has returned and
	// counted itself out of the in-flight gauge.
	m := tp.metrics(t)
	for i := 0; i < 200 && !strings.Contains(m, "errbridge_proxy_requests_in_flight 0"); i++ {
		time.Sleep(10 * time.Millisecond)
		m = tp.metrics(t)
	}
	for _, want := range []string{
		`errbridge_proxy_requests_total{grpc_code="OK",reason=""} 1`,
		`errbridge_proxy_requests_total{grpc_code="NotFound",reason="MEETING_NOT_FOUND"} 2`,
		`errbridge_proxy_requests_total{grpc_code="Unavailable",reason="UNPARSEABLE_BODY"} 1`,
		`errbridge_proxy_requests_total{grpc_code="ResourceExhausted",reason="APP_MINUTE_RATE_EXCEEDED"} 0`,
		`errbridge_proxy_upstream_seconds_count 4`,
		`errbridge_proxy_requests_in_flight 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if n := strings.Count(m, "errbridge_proxy_requests_total{"); n > len(tp.tr.Catalog().Entries())+5 {
		t.Errorf("%d request series: more than the catalogue", n)
	}
}

// TestUncataloguedCodes checks that an upstream code the catalogue lacks is
// counted by family and code and logged once, whichever request saw it.
func TestUncataloguedCodes(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	for range 3 {
		resp, _ := tp.do(t, http.MethodGet, proxytest.CodePath+"rest/987654", nil, nil)
		if got := resp.Header.Get("X-Errbridge-Reason"); got != "UNKNOWN_ERROR_CODE" {
			t.Fatalf("X-Errbridge-Reason = %q, want UNKNOWN_ERROR_CODE", got)
		}
	}
	tp.do(t, http.MethodGet, proxytest.CodePath+"rest/9003", nil, nil)
	m := tp.metrics(t)
	if want := `errbridge_unknown_error_codes_total{code="987654",family="rest"} 3`; !strings.Contains(m, want) {
		t.Errorf("metrics lack %s", want)
	}
	if strings.Contains(m, `code="9003"`) {
		t.Error("a catalogued code is counted as uncatalogued")
	}
	if n := strings.Count(tp.logged(t), `"code":987654`); n != 1 {
		t.Errorf("the uncatalogued code is logged %d times, want once:\n%s", n, tp.logged(t))
	}
}

// TestSetTranslatorFollowsTheCatalogue swaps in an engine whose catalogue has
// an overlay code, then the built-in one again: the code's reason is used and
// counted while the overlay holds it, and its series goes with it.
func TestSetTranslatorFollowsTheCatalogue(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	cat, err := catalog.Default().WithOverlay(&errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{{
		Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999001, Reason: "TEST_ADDED",
		Spec: &errbridgev1.ErrorSpec{GrpcCode: code.Code_ABORTED, Retry: errbridgev1.RetryPolicy_RETRY_POLICY_NEVER, ZhCn: "测试。", EnUs: "Test."},
	}}}, "test.textproto")
	if err != nil {
		t.Fatal(err)
	}
	withOverlay, err := translate.New(translate.WithCatalog(cat))
	if err != nil {
		t.Fatal(err)
	}
	const series = `errbridge_proxy_requests_total{grpc_code="Aborted",reason="TEST_ADDED"}`
	if err := tp.proxy.SetTranslator(withOverlay); err != nil {
		t.Fatal(err)
	}
	if resp, _ := tp.do(t, http.MethodGet, proxytest.CodePath+"rest/999001", nil, nil); resp.Header.Get("X-Errbridge-Reason") != "TEST_ADDED" {
		t.Fatalf("with the overlay, 999001 is %q", resp.Header.Get("X-Errbridge-Reason"))
	}
	if m := tp.metrics(t); !strings.Contains(m, series+" 1") {
		t.Errorf("metrics lack %s 1", series)
	}
	if err := tp.proxy.SetTranslator(tp.tr); err != nil {
		t.Fatal(err)
	}
	if resp, _ := tp.do(t, http.MethodGet, proxytest.CodePath+"rest/999001", nil, nil); resp.Header.Get("X-Errbridge-Reason") != "UNKNOWN_ERROR_CODE" {
		t.Fatalf("without the overlay, 999001 is %q", resp.Header.Get("X-Errbridge-Reason"))
	}
	if m := tp.metrics(t); strings.Contains(m, series) {
		t.Errorf("the series of a reason no catalogue holds is still there: %s", series)
	}
	if err := tp.proxy.SetTranslator(nil); err == nil {
		t.Error("SetTranslator(nil) is accepted")
	}
}
