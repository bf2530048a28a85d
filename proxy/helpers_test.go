package proxy_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/translate"
	"github.com/prometheus/client_golang/prometheus"
	spb "google.golang.org/genproto/googleapis/rpc/status"
)

// fixedNow is the clock of the tests' translator: half a second before a
// minute turns over in UTC+8, so a rate limit's Retry-After is 1.
var fixedNow = time.Date(2026, 11, 26, 9, 30, 59, 500_000_000, time.FixedZone("UTC+8", 8*3600))

func testTranslator(t testing.TB) *translate.Translator {
	t.Helper()
	tr, err := translate.New(translate.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// testProxy is a proxy in front of an upstream, served on loopback, with its
// log and metrics at hand.
type testProxy struct {
	*httptest.Server
	proxy  *proxy.Proxy
	tr     *translate.Translator
	logs   *servertest.Buffer
	active atomic.Int64 // requests in the proxy's ServeHTTP
}

func startProxy(t testing.TB, upstream string, opts ...proxy.Option) *testProxy {
	t.Helper()
	tp := &testProxy{tr: testTranslator(t), logs: &servertest.Buffer{}}
	logger := slog.New(slog.NewJSONHandler(tp.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := []proxy.Option{proxy.WithTranslator(tp.tr), proxy.WithLogger(logger), proxy.WithMetricsRegistry(prometheus.NewRegistry())}
	p, err := proxy.New(upstream, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	tp.proxy = p
	tp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp.active.Add(1)
		defer tp.active.Add(-1)
		p.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		tp.Close()
		p.CloseIdleConnections()
		if t.Failed() {
			t.Logf("proxy log:\n%s", tp.logs.String())
		}
	})
	return tp
}

// do sends a request through the proxy and returns the response with its
// body read.
func (tp *testProxy) do(t testing.TB, method, path string, header http.Header, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, tp.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := tp.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp, b
}

// settle waits until no request is in the proxy: it counts and logs a
// translated error after its answer is written, so a client can read the
// answer first.
func (tp *testProxy) settle(t testing.TB) {
	t.Helper()
	for i := 0; tp.active.Load() != 0; i++ {
		if i == 5000 {
			t.Fatalf("%d requests still in the proxy after 5 s", tp.active.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

// logged returns the proxy's log once no request is in it.
func (tp *testProxy) logged(t testing.TB) string {
	t.Helper()
	tp.settle(t)
	return tp.logs.String()
}

// metrics scrapes the proxy's metrics once no request is in it.
func (tp *testProxy) metrics(t testing.TB) string {
	t.Helper()
	tp.settle(t)
	rec := httptest.NewRecorder()
	tp.proxy.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// statusOf reads the Status a response carries in its headers.
func statusOf(t testing.TB, resp *http.Response) *spb.Status {
	t.Helper()
	st, ok := client.StatusFromHeader(resp.Header)
	if !ok {
		t.Fatalf("no readable %s header in %v", proxy.HeaderStatusBin, resp.Header)
	}
	return st.Proto()
}

// googleError is the AIP-193 body, as a client reads it.
type googleError struct {
	Error struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Status  string            `json:"status"`
		Details []json.RawMessage `json:"details"`
	} `json:"error"`
}

// sdkError is the repaired envelope, as an SDK reads it.
type sdkError struct {
	ErrorInfo struct {
		ErrorCode    *int64  `json:"error_code"`
		NewErrorCode *int64  `json:"new_error_code"`
		Message      *string `json:"message"`
	} `json:"error_info"`
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// missing fails the test in CI and skips it elsewhere, naming what to
// install.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(what)
	}
	t.Skip(what + " (this fails instead of skipping when CI is set)")
}
