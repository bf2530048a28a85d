package proxy

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/internal/promreg"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc/codes"
)

// otherReason is the reason label of a reason the catalogue does not hold,
// so that the label set stays bounded by the catalogue.
const otherReason = "OTHER"

// upstreamBuckets are the bounds, in seconds, of the upstream latency
// histogram: from a loopback answer to a stalled upstream.
var upstreamBuckets = []float64{
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
}

// seriesKey names one series of the request counter.
type seriesKey struct {
	code   codes.Code
	reason string
}

// metrics are the proxy's collectors. Labels hold only a gRPC code and a
// catalogue reason: never a header, a path or anything a caller sent.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	upstream prometheus.Histogram
	inFlight prometheus.Gauge

	ok     prometheus.Counter                  // the success series, the hot one
	known  atomic.Pointer[map[string]struct{}] // the catalogue's reasons; each map read-only
	series sync.Map                            // seriesKey → prometheus.Counter
	// mu serialises setCatalog with creating a series, so that a request
	// that read the old catalogue's reasons cannot bring back a series
	// setCatalog deleted.
	mu sync.Mutex
}

func newMetrics(reg *prometheus.Registry, cat *catalog.Catalog) (*metrics, error) {
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "errbridge_proxy_requests_total",
			Help: "Requests forwarded to the upstream and answered, by gRPC code and catalogue reason (empty for a success or a cancelled request, OTHER for a reason outside the catalogue).",
		}, []string{"grpc_code", "reason"}),
		upstream: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "errbridge_proxy_upstream_seconds",
			Help:    "Time from sending a request upstream to its response headers, or to the failure.",
			Buckets: upstreamBuckets,
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "errbridge_proxy_requests_in_flight",
			Help: "Requests being proxied now.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.upstream, m.inFlight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.ok = m.requests.WithLabelValues(codes.OK.String(), "")
	m.setCatalog(cat)
	return m, nil
}

// setCatalog makes cat's reasons the known ones. Every catalogued reason with
// a fixed code gets its series at once, so dashboards see zeros rather than
// gaps; the others on first use. The series of reasons that cat no longer
// holds (an overlay's, after a reload) are deleted, so the label set stays
// bounded by the catalogue in use.
func (m *metrics) setCatalog(cat *catalog.Catalog) {
	m.mu.Lock()
	defer m.mu.Unlock()
	known := map[string]struct{}{"": {}} // no reason: a cancelled request
	for _, e := range cat.Entries() {
		if !e.IsSuccess() {
			known[e.Reason] = struct{}{}
		}
	}
	m.known.Store(&known)
	m.series.Range(func(k, _ any) bool {
		key := k.(seriesKey)
		if _, ok := known[key.reason]; !ok && key.reason != otherReason {
			m.series.Delete(key)
			m.requests.DeleteLabelValues(key.code.String(), key.reason)
		}
		return true
	})
	for _, e := range cat.Entries() {
		if !e.IsSuccess() && !e.Spec.GetCodeFromHttpStatus() {
			m.create(seriesKey{e.GRPCCode(), e.Reason})
		}
	}
}

// counter returns the series of a code and a reason, collapsing reasons
// outside the catalogue.
func (m *metrics) counter(c codes.Code, reason string) prometheus.Counter {
	if c == codes.OK {
		return m.ok
	}
	if _, ok := (*m.known.Load())[reason]; !ok {
		reason = otherReason
	}
	key := seriesKey{c, reason}
	if v, ok := m.series.Load(key); ok {
		return v.(prometheus.Counter)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := (*m.known.Load())[key.reason]; !ok { // setCatalog ran since
		key.reason = otherReason
	}
	return m.create(key)
}

// create returns the series of key, creating it if need be; m.mu is held.
func (m *metrics) create(key seriesKey) prometheus.Counter {
	if v, ok := m.series.Load(key); ok {
		return v.(prometheus.Counter)
	}
	ctr := m.requests.WithLabelValues(key.code.String(), key.reason)
	m.series.Store(key, ctr)
	return ctr
}

// count counts one answered request.
func (m *metrics) count(c codes.Code, reason string) { m.counter(c, reason).Inc() }

// timedTransport observes the upstream latency of every round trip.
type timedTransport struct {
	next     http.RoundTripper
	observer prometheus.Observer
}

// RoundTrip implements http.RoundTripper.
func (t timedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	t.observer.Observe(time.Since(start).Seconds())
	return resp, err
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler { return promreg.Handler(m.registry) }
