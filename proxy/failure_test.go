package proxy_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
)

// closedURL is the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	_ = lis.Close()
	return "http://" + addr
}

// clientCertUpstream starts an upstream that demands a client certificate
// (the proxy has none, so the upstream refuses the handshake) with TLS at
// most version max, and returns its URL and a CA file that trusts it.
func clientCertUpstream(t *testing.T, max uint16) (url, caFile string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(proxytest.NewUpstream())
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert, MaxVersion: max}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // it refuses every handshake, as meant
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, caFile
}

// TestUpstreamFailures checks the answers for an upstream that is down,
// slow, untrusted or breaks mid-body: 502 or 504 with the proxy's headers,
// and a Retry-After only when a retry is safe.
func TestUpstreamFailures(t *testing.T) {
	t.Parallel()
	plain := proxytest.Start(t, false)
	secure := proxytest.Start(t, true)
	refused := startProxy(t, closedURL(t))
	slow := startProxy(t, plain.URL, proxy.WithUpstreamTimeouts(time.Second, time.Second, 100*time.Millisecond))
	untrusted := startProxy(t, secure.URL) // the system roots do not hold httptest's CA
	broken := startProxy(t, plain.URL)
	wantsCert := func(max uint16) *testProxy {
		url, ca := clientCertUpstream(t, max)
		return startProxy(t, url, proxy.WithUpstreamCAFile(ca))
	}
	wantsCert12, wantsCert13 := wantsCert(tls.VersionTLS12), wantsCert(tls.VersionTLS13)
	for _, tc := range []struct {
		name         string
		tp           *testProxy
		method, path string
		mode         string
		status       int
		code, reason string
		retryAfter   string
	}{
		{"refused GET", refused, "GET", "/v1/meetings", "", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", "1"},
		{"refused POST: never sent, so safe to retry", refused, "POST", "/v1/meetings", "", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", "1"},
		{"refused, google", refused, "POST", "/v1/meetings", "google", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", "1"},
		{"timeout GET", slow, "GET", proxytest.DelayPath + "?delay=5s", "", 504, "DEADLINE_EXCEEDED", "UPSTREAM_TIMEOUT", "1"},
		{"timeout POST", slow, "POST", proxytest.DelayPath + "?delay=5s", "", 504, "DEADLINE_EXCEEDED", "UPSTREAM_TIMEOUT", ""},
		{"untrusted certificate", untrusted, "GET", proxytest.OKPath, "", 502, "UNAVAILABLE", "UPSTREAM_TLS_FAILED", ""},
		{"handshake refused by the upstream, TLS 1.2", wantsCert12, "GET", proxytest.OKPath, "", 502, "UNAVAILABLE", "UPSTREAM_TLS_FAILED", ""},
		{"handshake refused by the upstream, TLS 1.3", wantsCert13, "POST", proxytest.OKPath, "", 502, "UNAVAILABLE", "UPSTREAM_TLS_FAILED", ""},
		{"reset mid JSON success, inside the peek", broken, "GET", proxytest.ResetPath, "", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", "1"},
		{"reset mid error body, GET", broken, "GET", proxytest.ResetErrorPath, "", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", "1"},
		{"reset mid error body, POST", broken, "POST", proxytest.ResetErrorPath, "sdk", 502, "UNAVAILABLE", "UPSTREAM_UNREACHABLE", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.mode != "" {
				h.Set(proxy.HeaderErrorBody, tc.mode)
			}
			resp, body := tc.tp.do(t, tc.method, tc.path, h, strings.NewReader(""))
			if resp.StatusCode != tc.status || resp.Header.Get(proxy.HeaderCode) != tc.code || resp.Header.Get(proxy.HeaderReason) != tc.reason {
				t.Fatalf("got %d %s %s, want %d %s %s; body %s", resp.StatusCode, resp.Header.Get(proxy.HeaderCode),
					resp.Header.Get(proxy.HeaderReason), tc.status, tc.code, tc.reason, body)
			}
			if got := resp.Header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if st := statusOf(t, resp); st.GetCode() == 0 {
				t.Error("OK status")
			}
			if tc.mode == "google" {
				var g googleError
				if err := json.Unmarshal(body, &g); err != nil || g.Error.Code != tc.status || g.Error.Status != tc.code {
					t.Errorf("google body %s (%v)", body, err)
				}
			} else {
				sdkCode(int64(tc.status))(t, body)
			}
		})
	}
}

// TestResetMidSuccess: a success already streaming when the upstream
// resets must not reach the client as a complete response: the proxy
// aborts it.
func TestResetMidSuccess(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	resp, err := tp.Client().Get(tp.URL + proxytest.ResetPath + "?type=octet")
	if err != nil {
		return // the proxy aborted before the headers: also not a success
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatalf("the client read a whole body of a reset response (status %d)", resp.StatusCode)
	}
}

// TestClientGoesAway: a caller that leaves before the upstream answers is
// counted as CANCELLED, and is neither an upstream failure nor logged.
func TestClientGoesAway(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tp.URL+proxytest.DelayPath+"?delay=10s", nil)
	if resp, err := tp.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the request succeeded with %d", resp.StatusCode)
	}
	want := `errbridge_proxy_requests_total{grpc_code="Canceled",reason=""} 1`
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(tp.metrics(t), want); {
		if time.Now().After(deadline) {
			t.Fatalf("metrics lack %s:\n%s", want, tp.metrics(t))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if strings.Contains(tp.logged(t), "translated upstream error") {
		t.Errorf("a cancelled request was logged as an upstream error:\n%s", tp.logs)
	}
}
