package proxy_test

import (
	"bufio"
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/hashicorp/go-retryablehttp"
)

// ordinaryRetryPolicy is the policy of everyday HTTP retry middleware:
// retry transport errors, 429 and 503, nothing else. With the google body
// mode the proxy's statuses make it do the right thing.
func ordinaryRetryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return true, nil
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable, nil
}

// TestRetryableHTTP drives the proxy with hashicorp/go-retryablehttp: a
// rate-limited GET is retried after its Retry-After (DefaultBackoff honours
// it for 429 and 503), and a POST that failed with a 500 is not retried.
func TestRetryableHTTP(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL, proxy.WithErrorBody(proxy.ErrorBodyGoogle))
	c := retryablehttp.NewClient()
	c.RetryMax = 3
	c.RetryWaitMin, c.RetryWaitMax = 10*time.Millisecond, 5*time.Second
	c.CheckRetry = ordinaryRetryPolicy
	c.Logger = nil

	start := time.Now()
	resp, err := c.Get(tp.URL + proxytest.FlakyPath + "ratelimited?code=190310&status=400")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if elapsed := time.Since(start); resp.StatusCode != 200 || up.Hits("ratelimited") != 2 || elapsed < time.Second {
		t.Errorf("rate-limited GET: status %d after %d upstream calls and %v; want 200 after 2, waiting Retry-After 1s", resp.StatusCode, up.Hits("ratelimited"), elapsed)
	}

	req, _ := retryablehttp.NewRequest(http.MethodPost, tp.URL+proxytest.FlakyPath+"create?code=41&status=500", strings.NewReader(`{"subject":"x"}`))
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 || up.Hits("create") != 1 || resp.Header.Get("Retry-After") != "" {
		t.Errorf("POST after a 500: status %d after %d upstream calls, Retry-After %q; want 500 after 1, none", resp.StatusCode, up.Hits("create"), resp.Header.Get("Retry-After"))
	}

	// The same policy retries an idempotent read that failed the same way,
	// after the engine's delay.
	resp, err = c.Get(tp.URL + proxytest.FlakyPath + "read?code=41&status=500")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 || up.Hits("read") != 1 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("GET after a 500: status %d after %d calls, Retry-After %q", resp.StatusCode, up.Hits("read"), resp.Header.Get("Retry-After"))
	}
}

// TestCurl drives the proxy with curl and reads the answer as curl prints
// it.
func TestCurl(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		missing(t, "curl not found: apt-get install curl (or bash scripts/install-deps)")
	}
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "-sS", "-D", "-", "-o", "/dev/null",
		"-H", "X-Errbridge-Error-Body: google", "-H", "X-TC-Key: k",
		tp.URL+proxytest.CodePath+"rest/190310").Output()
	if err != nil {
		t.Fatalf("curl: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Scan()
	if status := sc.Text(); !strings.HasPrefix(status, "HTTP/1.1 429") {
		t.Errorf("status line %q, want 429", status)
	}
	got := map[string]string{}
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			got[http.CanonicalHeaderKey(k)] = strings.TrimSpace(v)
		}
	}
	for k, want := range map[string]string{"Retry-After": "1", proxy.HeaderCode: "RESOURCE_EXHAUSTED", proxy.HeaderReason: "APP_MINUTE_RATE_EXCEEDED"} {
		if got[k] != want {
			t.Errorf("curl saw %s: %q, want %q", k, got[k], want)
		}
	}
	h := http.Header{}
	h.Set(proxy.HeaderStatusBin, got[proxy.HeaderStatusBin])
	if st := statusOf(t, &http.Response{Header: h}); st.GetCode() != 8 {
		t.Errorf("status header decodes to code %d", st.GetCode())
	}
}
