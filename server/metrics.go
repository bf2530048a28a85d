package server

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/internal/promreg"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// numCodes is how many canonical gRPC codes there are.
const numCodes = int(codes.Unauthenticated) + 1

// latencyBuckets are the bounds, in seconds, of the handling-time histogram:
// from a few microseconds (a translation) to seconds (a stalled call).
var latencyBuckets = []float64{
	0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
	0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
}

// metrics are the server's collectors. Every series the hot path touches is
// resolved once and cached, so a call costs a few atomic operations.
type metrics struct {
	registry     *prometheus.Registry
	handled      *prometheus.CounterVec
	handling     *prometheus.HistogramVec
	inFlight     prometheus.Gauge
	translations *prometheus.CounterVec
	panics       prometheus.Counter

	methods sync.Map // full method name → *methodMetrics
	// reasons maps each reason of the catalogue in use to its counters; the
	// map is read-only, and replaced whole when the catalogue is.
	reasons   atomic.Pointer[map[string]*codeCounters]
	reasonsMu sync.Mutex // serialises setCatalog, and a reason's new series with its retirement
}

// codeCounters caches the series of one label prefix by gRPC code.
type codeCounters struct {
	vec    *prometheus.CounterVec
	labels []string // the labels before grpc_code
	byCode [numCodes]atomic.Pointer[prometheus.Counter]

	// mu, when not nil, serialises creating a series with retiring the
	// prefix (a reason the catalogue no longer holds), so that a count that
	// began under the old catalogue cannot bring a deleted series back.
	mu      *sync.Mutex
	retired bool // guarded by mu
}

// discarded counts what no series keeps: a count for a retired reason.
var discarded = prometheus.NewCounter(prometheus.CounterOpts{Name: "discarded"})

// get returns the counter of code c, creating its series on first use.
func (cc *codeCounters) get(c codes.Code) prometheus.Counter {
	if int(c) < numCodes {
		if p := cc.byCode[c].Load(); p != nil {
			return *p
		}
	}
	if cc.mu != nil {
		cc.mu.Lock()
		defer cc.mu.Unlock()
		if cc.retired {
			return discarded
		}
	}
	return cc.create(c)
}

// create returns the counter of code c, creating its series if need be;
// cc.mu, if any, is held.
func (cc *codeCounters) create(c codes.Code) prometheus.Counter {
	if int(c) >= numCodes {
		return cc.vec.WithLabelValues(append(cc.labels[:len(cc.labels):len(cc.labels)], c.String())...)
	}
	if p := cc.byCode[c].Load(); p != nil {
		return *p
	}
	ctr := cc.vec.WithLabelValues(append(cc.labels[:len(cc.labels):len(cc.labels)], c.String())...)
	cc.byCode[c].Store(&ctr)
	return ctr
}

// methodMetrics are the series of one method.
type methodMetrics struct {
	handled codeCounters
	latency prometheus.Observer
}

func newMetrics(reg *prometheus.Registry, cat *catalog.Catalog) (*metrics, error) {
	m := &metrics{
		registry: reg,
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "errbridge_grpc_server_handled_total",
			Help: "RPCs completed on the server, by method and gRPC code.",
		}, []string{"grpc_service", "grpc_method", "grpc_code"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "errbridge_grpc_server_handling_seconds",
			Help:    "Time the server took to handle an RPC, by method.",
			Buckets: latencyBuckets,
		}, []string{"grpc_service", "grpc_method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "errbridge_grpc_server_in_flight",
			Help: "RPCs being handled now.",
		}),
		translations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "errbridge_translations_total",
			Help: "Upstream responses translated, by catalogue reason (empty for a success) and gRPC code.",
		}, []string{"reason", "grpc_code"}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "errbridge_panics_recovered_total",
			Help: "Panics in handlers recovered and answered with INTERNAL.",
		}),
	}
	for _, c := range []prometheus.Collector{m.handled, m.handling, m.inFlight, m.translations, m.panics} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	m.setCatalog(cat)
	return m, nil
}

// setCatalog makes the reason label follow the reasons of cat: one series
// per reason and its code from the start, so that dashboards see zeros
// rather than gaps (fallback reasons, whose code follows the HTTP status,
// get theirs on first use). The series of reasons that cat no longer has
// are deleted, so that the label set stays the catalogue's, however often
// an overlay is reloaded.
func (m *metrics) setCatalog(cat *catalog.Catalog) {
	m.reasonsMu.Lock()
	defer m.reasonsMu.Unlock()
	var old map[string]*codeCounters
	if p := m.reasons.Load(); p != nil {
		old = *p
	}
	next := make(map[string]*codeCounters, len(cat.Entries()))
	for _, e := range cat.Entries() {
		cc := next[e.Reason]
		if cc == nil {
			if cc = old[e.Reason]; cc == nil {
				cc = &codeCounters{vec: m.translations, labels: []string{e.Reason}, mu: &m.reasonsMu}
			}
			next[e.Reason] = cc
		}
		if !e.Spec.GetCodeFromHttpStatus() {
			cc.create(codes.Code(e.Spec.GetGrpcCode())) // the mutex is held
		}
	}
	m.reasons.Store(&next)
	for reason, cc := range old {
		if next[reason] == nil {
			cc.retired = true
			m.translations.DeletePartialMatch(prometheus.Labels{"reason": reason})
		}
	}
}

// countTranslation counts one translation.
func (m *metrics) countTranslation(reason string, c code.Code) {
	if cc := (*m.reasons.Load())[reason]; cc != nil {
		cc.get(codes.Code(c)).Inc()
	}
}

// method returns the series of a full method name ("/pkg.Service/Method").
func (m *metrics) method(fullMethod string) *methodMetrics {
	if mm, ok := m.methods.Load(fullMethod); ok {
		return mm.(*methodMetrics)
	}
	svc, name := splitMethod(fullMethod)
	mm := &methodMetrics{
		handled: codeCounters{vec: m.handled, labels: []string{svc, name}},
		latency: m.handling.WithLabelValues(svc, name),
	}
	actual, _ := m.methods.LoadOrStore(fullMethod, mm)
	return actual.(*methodMetrics)
}

// splitMethod splits "/pkg.Service/Method" into its service and method.
func splitMethod(fullMethod string) (service, method string) {
	s := strings.TrimPrefix(fullMethod, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "unknown", s
}

// done records a finished call.
func (m *metrics) done(mm *methodMetrics, err error, start time.Time) {
	mm.latency.Observe(time.Since(start).Seconds())
	mm.handled.get(status.Code(err)).Inc()
	m.inFlight.Dec()
}

// registerBudget exports the memory budget's size and what calls in flight
// hold of it.
func (m *metrics) registerBudget(b *budget) error {
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "errbridge_memory_budget_bytes",
			Help: "The server-wide budget of bytes that calls in flight may hold (--memory-budget).",
		}, func() float64 { return float64(b.size) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "errbridge_memory_budget_reserved_bytes",
			Help: "Bytes of the memory budget reserved by calls in flight now.",
		}, func() float64 { return float64(b.inUse()) }),
	} {
		if err := m.registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler { return promreg.Handler(m.registry) }
