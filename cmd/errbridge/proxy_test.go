package main

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/errbridge/errbridge/internal/pemfile"
	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/errbridge/errbridge/server/servertest"
)

func TestProxyFlagPrecedence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		listen   string
		upstream string
		mode     string
		drain    time.Duration
		domain   string
	}{
		{"defaults", nil, nil, ":8081", "https://api.meeting.qq.com", "upstream", 5 * time.Second, "tencentmeeting.errbridge.dev"},
		{"environment beats defaults", nil,
			map[string]string{"ERRBRIDGE_PROXY_LISTEN": "127.0.0.1:7000", "ERRBRIDGE_PROXY_UPSTREAM": "http://127.0.0.1:9", "ERRBRIDGE_PROXY_ERROR_BODY": "google", "ERRBRIDGE_PROXY_DRAIN_DELAY": "1s", "ERRBRIDGE_PROXY_DOMAIN": "example.dev"},
			"127.0.0.1:7000", "http://127.0.0.1:9", "google", time.Second, "example.dev"},
		{"flags beat the environment", []string{"--listen", ":9000", "--error-body", "sdk", "--drain-delay", "0s", "--domain", "flag.dev"},
			map[string]string{"ERRBRIDGE_PROXY_LISTEN": "127.0.0.1:7000", "ERRBRIDGE_PROXY_ERROR_BODY": "google", "ERRBRIDGE_PROXY_DRAIN_DELAY": "1s", "ERRBRIDGE_PROXY_DOMAIN": "example.dev"},
			":9000", "https://api.meeting.qq.com", "sdk", 0, "flag.dev"},
		{"serve's variables do not apply", nil, map[string]string{"ERRBRIDGE_LISTEN": ":1", "ERRBRIDGE_DOMAIN": "serve.dev"},
			":8081", "https://api.meeting.qq.com", "upstream", 5 * time.Second, "tencentmeeting.errbridge.dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var pf proxyFlags
			if err := pf.flagSet().parse(tc.args, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }); err != nil {
				t.Fatal(err)
			}
			if pf.listen != tc.listen || pf.upstream != tc.upstream || pf.errorBody != tc.mode || pf.drain.delay != tc.drain || pf.engine.domain != tc.domain {
				t.Errorf("listen %q upstream %q mode %q drain %v domain %q", pf.listen, pf.upstream, pf.errorBody, pf.drain.delay, pf.engine.domain)
			}
		})
	}
}

func TestProxyRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		exit   int
		stderr string
	}{
		{"bad error body", []string{"--error-body", "xml"}, exitUsage, "--error-body"},
		{"bad upstream", []string{"--upstream", "ftp://example.com"}, exitFailure, "invalid upstream"},
		{"upstream with a query", []string{"--upstream", "https://example.com/?a=b"}, exitFailure, "invalid upstream"},
		{"certificate without a key", []string{"--tls-cert", "c.pem"}, exitUsage, "--tls-key"},
		{"missing upstream CA file", []string{"--upstream-ca", "/nonexistent/ca.pem"}, exitFailure, "CA"},
		{"bad locale", []string{"--default-locale", "!!"}, exitUsage, "locale"},
		{"negative drain delay", []string{"--drain-delay", "-1s"}, exitUsage, "--drain-delay"},
		{"zero request bound", []string{"--max-request-bytes", "0"}, exitFailure, "max request bytes"},
		{"bad listen address", []string{"--listen", "127.0.0.1:99999"}, exitFailure, "cannot listen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(nil, "")
			if got := a.run(testCtx(t), append([]string{"proxy"}, tc.args...)); got != tc.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, tc.exit, a.stderr)
			}
			if !strings.Contains(a.stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", a.stderr, tc.stderr)
			}
		})
	}
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestProxyCommand runs the command in process against a fake upstream: a
// translated error, the metrics and probes, and the drain when its context
// ends (what SIGTERM does): /readyz turns 503 at once while requests are
// still served for the drain delay.
func TestProxyCommand(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	a := newTestApp(map[string]string{"ERRBRIDGE_PROXY_METRICS_LISTEN": "127.0.0.1:0", "ERRBRIDGE_PROXY_UPSTREAM": up.URL}, "")
	addrs := make(chan [2]net.Addr, 1)
	a.ready = func(addr, metricsAddr, _ net.Addr) { addrs <- [2]net.Addr{addr, metricsAddr} }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() {
		exit <- a.run(ctx, []string{"proxy", "--listen", "127.0.0.1:0", "--drain-delay", "1s", "--shutdown-timeout", "20s", "--error-body", "google"})
	}()
	var got [2]net.Addr
	select {
	case got = <-addrs:
	case code := <-exit:
		t.Fatalf("proxy exited with %d:\n%s", code, a.stderr)
	}
	base, mbase := "http://"+got[0].String(), "http://"+got[1].String()

	status, body, h := get(t, base+proxytest.CodePath+"rest/190310")
	if status != 429 || h.Get(proxy.HeaderReason) != "APP_MINUTE_RATE_EXCEEDED" || h.Get("Retry-After") == "" || !strings.Contains(body, `"status":"RESOURCE_EXHAUSTED"`) {
		t.Errorf("rate limit through the proxy: %d %v %s", status, h, body)
	}
	if status, _, _ := get(t, mbase+"/readyz"); status != 200 {
		t.Errorf("/readyz %d before the drain", status)
	}
	// The proxy counts a request once its answer has gone out: the count
	// may trail the client by a moment.
	const series = `errbridge_proxy_requests_total{grpc_code="ResourceExhausted",reason="APP_MINUTE_RATE_EXCEEDED"} 1`
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, m, _ := get(t, mbase+"/metrics")
		if strings.Contains(m, series) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("after 5 s the metrics still lack the translated error:\n%.2000s", m)
			break
		}
	}

	stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _, _ := get(t, mbase+"/readyz")
		if status == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d after the drain started", status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status, body, _ := get(t, base+proxytest.OKPath); status != 200 || body != proxytest.OKBody() {
		t.Errorf("during the drain delay: %d %s", status, body)
	}
	if code := <-exit; code != exitOK {
		t.Errorf("proxy exit %d", code)
	}
	logs := a.stderr.String()
	for _, want := range []string{`"msg":"serving"`, `"msg":"translated upstream error"`, `"msg":"draining"`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

// TestProxyServesTLS runs the command with inbound TLS: a client that
// trusts the test CA gets HTTP/2 and the translated error.
func TestProxyServesTLS(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	pki := servertest.NewPKI(t)
	a := newTestApp(nil, "")
	addrs := make(chan net.Addr, 1)
	a.ready = func(addr, _, _ net.Addr) { addrs <- addr }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() {
		exit <- a.run(ctx, []string{"proxy", "--listen", "127.0.0.1:0", "--upstream", up.URL, "--drain-delay", "0s",
			"--tls-cert", pki.ServerCert, "--tls-key", pki.ServerKey})
	}()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case code := <-exit:
		t.Fatalf("proxy exited with %d:\n%s", code, a.stderr)
	}
	pool, err := pemfile.CertPool(pki.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, "https://"+addr.String()+proxytest.CodePath+"rest/9003", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 || resp.Header.Get(proxy.HeaderReason) != "MEETING_NOT_FOUND" {
		t.Errorf("over TLS: %s, reason %q", resp.Proto, resp.Header.Get(proxy.HeaderReason))
	}
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestProxyReloadsTheOverlayOnSIGHUP starts the proxy with a catalogue
// overlay, then reloads it: a good file changes the reason of the next
// response, and a bad one keeps the catalogue in use and says why.
func TestProxyReloadsTheOverlayOnSIGHUP(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	dir := t.TempDir()
	path := writeFile(t, dir, "overlay.textproto", overlayEntry(999001, "TEST_ADDED"))
	a := newTestApp(map[string]string{"ERRBRIDGE_PROXY_UPSTREAM": up.URL, "ERRBRIDGE_PROXY_CATALOG_OVERLAY": path}, "")
	hangup := make(chan os.Signal)
	a.hangup = hangup
	addrs := make(chan net.Addr, 1)
	a.ready = func(addr, _, _ net.Addr) { addrs <- addr }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() {
		exit <- a.run(ctx, []string{"proxy", "--listen", "127.0.0.1:0", "--drain-delay", "0s"})
	}()
	var base string
	select {
	case addr := <-addrs:
		base = "http://" + addr.String()
	case code := <-exit:
		t.Fatalf("proxy exited with %d:\n%s", code, a.stderr)
	}
	reason := func(code int) string {
		t.Helper()
		_, _, h := get(t, base+proxytest.CodePath+"rest/"+strconv.Itoa(code))
		return h.Get(proxy.HeaderReason)
	}
	if got := reason(999001); got != "TEST_ADDED" {
		t.Fatalf("999001 is %q with the overlay, want TEST_ADDED:\n%s", got, a.stderr)
	}
	if got := reason(999002); got != "UNKNOWN_ERROR_CODE" {
		t.Fatalf("999002 is %q before the reload, want UNKNOWN_ERROR_CODE", got)
	}

	writeFile(t, dir, "overlay.textproto", overlayEntry(999002, "TEST_SECOND"))
	hangup <- syscall.SIGHUP
	waitForLog(t, a.stderr, "catalogue overlay reloaded", 1)
	if got := reason(999002); got != "TEST_SECOND" {
		t.Errorf("999002 is %q after the reload, want TEST_SECOND", got)
	}
	if got := reason(999001); got != "UNKNOWN_ERROR_CODE" {
		t.Errorf("999001 is %q after the reload dropped it, want UNKNOWN_ERROR_CODE", got)
	}

	writeFile(t, dir, "overlay.textproto", overlayEntry(999003, "MEETING_NOT_FOUND"))
	hangup <- syscall.SIGHUP
	waitForLog(t, a.stderr, "catalogue overlay reload failed: the catalogue in use stays", 1)
	if got := reason(999002); got != "TEST_SECOND" {
		t.Errorf("999002 is %q after a bad reload, want TEST_SECOND", got)
	}
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("proxy exit %d:\n%s", code, a.stderr)
	}
	if logs := a.stderr.String(); !strings.Contains(logs, `"msg":"catalogue overlay loaded","file":"`+path+`"`) {
		t.Errorf("the start-up line lacks the overlay:\n%s", logs)
	}
}
