package proxy_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/prometheus/client_golang/prometheus"
)

// cannedTransport answers every request with the same status and body, so
// that a benchmark measures the proxy and not a network.
type cannedTransport struct {
	status int
	body   []byte
	header http.Header
}

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: c.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: c.header.Clone(), ContentLength: int64(len(c.body)),
		Body: io.NopCloser(bytes.NewReader(c.body)), Request: req,
	}, nil
}

func canned(status int, body string) cannedTransport {
	h := http.Header{}
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-TC-Trace", "trace-1")
	return cannedTransport{status: status, body: []byte(body), header: h}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Flush()                      {}

// BenchmarkProxy measures the CPU one request costs errbridge's proxy and
// a bare httputil.ReverseProxy with the same canned upstream answer: a
// success, and a rate-limit error (translated, in each body mode).
func BenchmarkProxy(b *testing.B) {
	u, _ := url.Parse("http://upstream.test")
	success := canned(200, proxytest.OKBody())
	rateLimit := canned(400, proxytest.Body("rest", 190310, false))
	bare := func(rt http.RoundTripper) http.Handler {
		return &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u) }, Transport: rt, FlushInterval: -1}
	}
	ours := func(rt http.RoundTripper) http.Handler {
		p, err := proxy.New(u.String(), proxy.WithTransport(rt), proxy.WithMetricsRegistry(prometheus.NewRegistry()),
			proxy.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	for _, bc := range []struct {
		name string
		h    http.Handler
		mode string
	}{
		{"bare/success", bare(success), ""},
		{"errbridge/success", ours(success), ""},
		{"bare/error", bare(rateLimit), ""},
		{"errbridge/error", ours(rateLimit), ""},
		{"errbridge/error_google", ours(rateLimit), "google"},
		{"errbridge/error_sdk", ours(rateLimit), "sdk"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(http.MethodGet, "/v1/meetings?userid=u", nil)
			if bc.mode != "" {
				req.Header.Set(proxy.HeaderErrorBody, bc.mode)
			}
			cpu0 := processCPU()
			for b.Loop() {
				bc.h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
			}
			// CPU time per request, steadier than wall time on a busy machine.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
