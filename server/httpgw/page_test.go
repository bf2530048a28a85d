package httpgw_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/server/servertest"
)

// TestPageLoadsNothingOffTheHost fetches the page and its assets and checks
// that they come with a policy that keeps the browser on this origin and
// name no other host themselves.
func TestPageLoadsNothingOffTheHost(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	offHost := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["'](https?:)?//`)
	for _, tc := range []struct{ path, contentType string }{
		{"/", "text/html; charset=utf-8"},
		{"/assets/app.js", "text/javascript; charset=utf-8"},
		{"/assets/style.css", "text/css; charset=utf-8"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequestWithContext(callCtx(t), http.MethodGet, base+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.contentType {
				t.Fatalf("HTTP %d, %s; want 200, %s", resp.StatusCode, resp.Header.Get("Content-Type"), tc.contentType)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if m := offHost.FindString(body.String()); m != "" {
				t.Errorf("%s names another host: %q", tc.path, m)
			}
		})
	}
	for _, path := range []string{"/assets/missing.js", "/nothing"} {
		req, _ := http.NewRequestWithContext(callCtx(t), http.MethodGet, base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: HTTP %d, want 404", path, resp.StatusCode)
		}
	}
}
