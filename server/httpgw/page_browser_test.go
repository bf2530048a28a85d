package httpgw_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/translate"
	"golang.org/x/net/html"
)

// chromiumInstall is what installs the browser the page tests need.
const chromiumInstall = "apt-get install chromium (bash scripts/install-deps does it)"

// chromium runs Debian's headless Chromium on url with extra flags and
// returns what it prints on stdout. Scripts run until the virtual time
// budget is spent: the page's calls go to the loopback server and finish
// well within it.
func chromium(t *testing.T, pageURL string, flags ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found: " + chromiumInstall)
		}
		t.Skip("chromium not found: " + chromiumInstall + " (this fails instead of skipping when CI is set)")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=10000", "--window-size=1400,1100",
	}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, pageURL)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return stdout.Bytes()
}

// pageURL is the page at base with the given query parameters.
func pageURL(base string, params map[string]string) string {
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return base + "/?" + q.Encode()
}

// dom is a parsed page.
type dom struct{ root *html.Node }

func parseDOM(t *testing.T, b []byte) dom {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse the dumped DOM: %v", err)
	}
	return dom{root}
}

// all returns the elements for which match is true, in document order.
func (d dom) all(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { v, ok := attr(n, key); return ok && v == val }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// catalogueRows are the rows of the catalogue table.
func (d dom) catalogueRows() []*html.Node {
	return d.all(func(n *html.Node) bool { _, ok := attr(n, "data-code"); return n.Data == "tr" && ok })
}

// visibleCodes are the codes of the rows the search left shown.
func (d dom) visibleCodes() []string {
	var codes []string
	for _, tr := range d.catalogueRows() {
		if _, hidden := attr(tr, "hidden"); !hidden {
			c, _ := attr(tr, "data-code")
			codes = append(codes, c)
		}
	}
	return codes
}

func (d dom) byID(id string) string {
	nodes := d.all(hasAttr("id", id))
	if len(nodes) != 1 {
		return ""
	}
	return text(nodes[0])
}

// TestPageInChromium loads the page in headless Chromium, driven by its URL
// parameters: every catalogued code is listed, the search finds 9003 by its
// Chinese text, and a pasted rate-limit body is translated into
// RESOURCE_EXHAUSTED with a RetryInfo.
func TestPageInChromium(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	d := parseDOM(t, chromium(t, pageURL(base, map[string]string{
		"q":      "会议不存在",
		"status": "400",
		"body":   rateLimitBody,
	}), "--dump-dom"))

	if got := d.all(hasAttr("data-catalogue", "loaded")); len(got) != 1 {
		t.Fatalf("the catalogue did not load; count says %q", d.byID("count"))
	}
	// Every catalogued code is a row, with its reason.
	want := map[string]string{}
	for _, e := range translate.Default().Catalog().Entries() {
		if !e.IsSuccess() {
			want[strconv.FormatInt(e.Code, 10)+"/"+e.Reason] = e.Reason
		}
	}
	rows := d.catalogueRows()
	for _, tr := range rows {
		code, _ := attr(tr, "data-code")
		reason, _ := attr(tr, "data-reason")
		if _, ok := want[code+"/"+reason]; !ok {
			t.Errorf("row %s %s is not a catalogued code", code, reason)
		}
		delete(want, code+"/"+reason)
		if !strings.Contains(text(tr), reason) {
			t.Errorf("row %s does not show its reason", code)
		}
	}
	if len(want) > 0 {
		t.Errorf("%d catalogued codes have no row: %v", len(want), want)
	}
	// The search by the Chinese text leaves 9003 and exactly the other codes
	// whose zh-CN text has it (190457 and 500275 among them).
	var wantShown []string
	for _, e := range translate.Default().Catalog().Entries() {
		if !e.IsSuccess() && strings.Contains(e.Spec.GetZhCn(), "会议不存在") {
			wantShown = append(wantShown, strconv.FormatInt(e.Code, 10))
		}
	}
	got := d.visibleCodes()
	sort.Strings(got)
	sort.Strings(wantShown)
	if !slices.Contains(got, "9003") || !slices.Equal(got, wantShown) {
		t.Errorf("search for 会议不存在 shows codes %v, want %v (9003 among them)", got, wantShown)
	}
	// The translation.
	if got := d.all(hasAttr("data-translation", "done")); len(got) != 1 {
		t.Fatalf("the translation did not finish; result: %q", d.byID("result"))
	}
	if got := d.byID("result-code"); got != "RESOURCE_EXHAUSTED" {
		t.Errorf("result code %q, want RESOURCE_EXHAUSTED", got)
	}
	if got := d.byID("result-reason"); got != "APP_MINUTE_RATE_EXCEEDED" {
		t.Errorf("result reason %q, want APP_MINUTE_RATE_EXCEEDED", got)
	}
	details := map[string]*html.Node{}
	for _, n := range d.all(func(n *html.Node) bool { _, ok := attr(n, "data-type"); return n.Data == "article" && ok }) {
		typ, _ := attr(n, "data-type")
		details[typ] = n
	}
	for _, typ := range []string{"google.rpc.ErrorInfo", "google.rpc.RetryInfo", "google.rpc.QuotaFailure", "google.rpc.LocalizedMessage"} {
		if details[typ] == nil {
			t.Errorf("no %s detail shown; details: %v", typ, details)
		}
	}
	if ri := details["google.rpc.RetryInfo"]; ri != nil {
		delay := dom{ri}.all(hasAttr("data-field", "retryDelay"))
		if len(delay) != 1 || !retryDelay(text(delay[0])) {
			t.Errorf("RetryInfo shows %q, want a retry delay of 1 to 60 seconds", text(ri))
		}
	}
}

// retryDelay reports whether s is a delay until the next minute, such as
// "42s".
func retryDelay(s string) bool {
	m := regexp.MustCompile(`^(\d+)(\.\d+)?s$`).FindStringSubmatch(s)
	if m == nil {
		return false
	}
	n, err := strconv.Atoi(m[1])
	return err == nil && n >= 0 && n <= 60
}

// TestPageSearchesAndShowsErrors checks the search by code and by reason,
// and that a request the server refuses shows its error.
func TestPageSearchesAndShowsErrors(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	for _, tc := range []struct {
		query string
		codes []string
	}{
		{"9003", []string{"9003"}},
		{"app_minute_rate", []string{"190310"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			d := parseDOM(t, chromium(t, pageURL(base, map[string]string{"q": tc.query, "status": "99", "body": "{}"}), "--dump-dom"))
			if got := d.visibleCodes(); fmt.Sprint(got) != fmt.Sprint(tc.codes) {
				t.Errorf("search for %q shows %v, want %v", tc.query, got, tc.codes)
			}
			if got := d.all(hasAttr("data-translation", "failed")); len(got) != 1 {
				t.Fatalf("an HTTP status of 99 did not fail; result: %q", d.byID("result"))
			}
			if got, msg := d.byID("result-code"), d.byID("result-message"); got != "INVALID_ARGUMENT" || !strings.Contains(msg, "http_status") {
				t.Errorf("result %q %q, want INVALID_ARGUMENT naming http_status", got, msg)
			}
		})
	}
}

// TestPageScreenshot renders the page to a PNG. ERRBRIDGE_SCREENSHOT_DIR,
// when set, keeps it there for a person to look at.
func TestPageScreenshot(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	dir := os.Getenv("ERRBRIDGE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "catalogue-page.png")
	chromium(t, pageURL(base, map[string]string{"q": "rate", "status": "400", "body": rateLimitBody}), "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 1100 {
		t.Errorf("screenshot is %v, want 1400×1100", b)
	}
}
