package uncatalogued

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
)

// Bounds of the series.
const (
	// DefaultMaxCodes is how many distinct codes get a series of their own.
	DefaultMaxCodes = 256
	// MaxMaxCodes bounds [WithMaxCodes].
	MaxMaxCodes = 4096
	// Other is the family and code label of the series that counts every
	// code past the bound.
	Other = "other"
	// MetricName is the counter's name.
	MetricName = "errbridge_unknown_error_codes_total"
)

// key is one upstream code.
type key struct {
	family errbridgev1.ApiFamily
	code   int64
}

// Tracker counts and logs uncatalogued upstream codes; see the package
// documentation. It is a prometheus.Collector: register it once. It is safe
// for concurrent use.
type Tracker struct {
	vec    *prometheus.CounterVec
	logger *slog.Logger
	max    int

	series sync.Map    // key → prometheus.Counter, at most max entries
	full   atomic.Bool // every further code goes to other
	mu     sync.Mutex  // serialises adding a series
	n      int         // series added, under mu
	other  prometheus.Counter
}

// New returns a tracker configured by opts.
func New(opts ...Option) (*Tracker, error) {
	t := &Tracker{
		vec: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricName,
			Help: "Upstream error codes that the catalogue lacks, by family and code; the first " +
				"codes seen get a series each, the rest share family=\"other\",code=\"other\".",
		}, []string{"family", "code"}),
		logger: slog.Default(),
		max:    DefaultMaxCodes,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errNilOption
		}
		if err := opt(t); err != nil {
			return nil, err
		}
	}
	t.other = t.vec.WithLabelValues(Other, Other)
	return t, nil
}

// Describe implements prometheus.Collector.
func (t *Tracker) Describe(ch chan<- *prometheus.Desc) { t.vec.Describe(ch) }

// Collect implements prometheus.Collector.
func (t *Tracker) Collect(ch chan<- prometheus.Metric) { t.vec.Collect(ch) }

// Observe counts one response whose upstream code the catalogue lacks: its
// family, the code, the HTTP status and the upstream message (which is
// logged, reduced by [Sanitize], only the first time the code is seen).
func (t *Tracker) Observe(family errbridgev1.ApiFamily, code int64, httpStatus int, message string) {
	t.observe(family, code, httpStatus, func() string { return message })
}

// ObserveResult observes a translation if it fell back to
// UNKNOWN_ERROR_CODE on a non-zero numeric code, and does nothing
// otherwise. The upstream message is read from the ErrorInfo metadata only
// the first time the code is seen.
func (t *Tracker) ObserveResult(r *translate.Result, httpStatus int) {
	e := r.Entry()
	if e == nil || e.Family != errbridgev1.ApiFamily_API_FAMILY_FALLBACK ||
		e.Code != int64(errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE) {
		return
	}
	if code, ok := r.ErrorCode(); ok && code != 0 {
		t.observe(r.Family(), code, httpStatus, func() string { return upstreamMessage(r.Proto()) })
	}
}

// ObserveResponse is [Tracker.ObserveResult] for a TranslateResponse and the
// HTTP status of its request.
func (t *Tracker) ObserveResponse(resp *errbridgev1.TranslateResponse, httpStatus int) {
	if resp.GetFallbackReason() != errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE {
		return
	}
	if code := resp.GetErrorCode(); code != 0 {
		t.observe(resp.GetFamily(), code, httpStatus, func() string { return upstreamMessage(resp.GetStatus()) })
	}
}

func (t *Tracker) observe(family errbridgev1.ApiFamily, code int64, httpStatus int, message func() string) {
	k := key{family, code}
	if c, ok := t.series.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	if t.full.Load() {
		t.other.Inc()
		return
	}
	t.mu.Lock()
	if c, ok := t.series.Load(k); ok { // added meanwhile
		t.mu.Unlock()
		c.(prometheus.Counter).Inc()
		return
	}
	if t.n >= t.max {
		first := !t.full.Swap(true)
		t.mu.Unlock()
		t.other.Inc()
		if first {
			t.logger.LogAttrs(context.Background(), slog.LevelWarn,
				"more distinct uncatalogued upstream error codes than the metric keeps: the rest are counted as other and not logged",
				slog.Int("max_codes", t.max))
		}
		return
	}
	label := catalog.FamilyName(family)
	c := t.vec.WithLabelValues(label, strconv.FormatInt(code, 10))
	t.series.Store(k, c)
	t.n++
	t.mu.Unlock()
	c.Inc()
	t.logger.LogAttrs(context.Background(), slog.LevelInfo, "uncatalogued upstream error code",
		slog.String("family", label),
		slog.Int64("code", code),
		slog.Int("http_status", httpStatus),
		slog.String("upstream_message", Sanitize(message(), MaxMessageBytes)))
}

// upstreamMessage is the upstream message that a translated Status keeps in
// its ErrorInfo metadata, or "".
func upstreamMessage(st *spb.Status) string {
	for _, a := range st.GetDetails() {
		var info errdetails.ErrorInfo
		if a.MessageIs(&info) && a.UnmarshalTo(&info) == nil {
			return info.GetMetadata()[translate.MetadataUpstreamMessage]
		}
	}
	return ""
}
