package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/errbridge/errbridge/internal/promreg"
	"github.com/errbridge/errbridge/translate"
	"github.com/errbridge/errbridge/uncatalogued"
)

// Proxy forwards requests to one upstream and translates its errors. It is
// an [http.Handler], safe for concurrent use. Create it with [New].
type Proxy struct {
	upstream   *url.URL
	rp         *httputil.ReverseProxy
	translator atomic.Pointer[translate.Translator]
	metrics    *metrics
	unknown    *uncatalogued.Tracker
	logger     *slog.Logger
	cfg        config
	idle       interface{ CloseIdleConnections() }
}

// New returns a proxy to upstream, an absolute http or https URL whose path,
// if any, prefixes every request's path (e.g. https://api.meeting.qq.com).
func New(upstream string, opts ...Option) (*Proxy, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, fmt.Errorf("proxy: invalid upstream %q: %v", upstream, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("proxy: invalid upstream %q: want http(s)://host[:port][/path], without credentials, query or fragment", upstream)
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("proxy: nil option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.translator == nil {
		cfg.translator = translate.Default()
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	if cfg.registry == nil {
		cfg.registry = promreg.New()
	}
	m, err := newMetrics(cfg.registry, cfg.translator.Catalog())
	if err != nil {
		return nil, err
	}
	unknown, err := uncatalogued.New(uncatalogued.WithLogger(cfg.logger))
	if err != nil {
		return nil, err
	}
	if err := cfg.registry.Register(unknown); err != nil {
		return nil, err
	}
	p := &Proxy{upstream: u, metrics: m, unknown: unknown, logger: cfg.logger, cfg: cfg}
	p.translator.Store(cfg.translator)
	rt := cfg.transport
	if rt == nil {
		t, err := newTransport(cfg.upstream)
		if err != nil {
			return nil, err
		}
		rt = t
	}
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		p.idle = c
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      timedTransport{next: rt, observer: m.upstream},
		FlushInterval:  -1,
		BufferPool:     newBufferPool(),
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.handleError,
		// The proxy's own lines carry errors with URLs in them; it logs
		// through its logger only, and never a URL's query.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return p, nil
}

// SetTranslator makes t the engine of every response from now on, as the
// catalogue overlay's reload on SIGHUP does; a response being translated
// finishes with the engine it started with. The reason label of the request
// counter follows t's catalogue.
func (p *Proxy) SetTranslator(t *translate.Translator) error {
	if t == nil {
		return errors.New("proxy: nil translator")
	}
	p.metrics.setCatalog(t.Catalog())
	p.translator.Store(t)
	return nil
}

// Translator returns the engine responses are translated with now.
func (p *Proxy) Translator() *translate.Translator { return p.translator.Load() }

// Upstream returns the upstream URL.
func (p *Proxy) Upstream() *url.URL { u := *p.upstream; return &u }

// MetricsHandler serves the proxy's metrics in the Prometheus format.
func (p *Proxy) MetricsHandler() http.Handler { return p.metrics.handler() }

// CloseIdleConnections closes the idle connections to the upstream.
func (p *Proxy) CloseIdleConnections() {
	if p.idle != nil {
		p.idle.CloseIdleConnections()
	}
}

// ServeHTTP forwards r to the upstream and answers with its response,
// translated when it failed.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.metrics.inFlight.Inc()
	defer p.metrics.inFlight.Dec()
	x := &exchange{start: time.Now(), mode: p.cfg.errorBody, method: r.Method, path: r.URL.Path}
	if msg, status := p.refuse(r); status != 0 {
		http.Error(w, "errbridge proxy: "+msg, status)
		return
	}
	if v := r.Header.Get(HeaderErrorBody); v != "" {
		m, err := ParseErrorBody(v)
		if err != nil {
			http.Error(w, "errbridge proxy: "+HeaderErrorBody+": "+err.Error(), http.StatusBadRequest)
			return
		}
		x.mode = m
	}
	x.locale = firstLanguage(r.Header.Get("Accept-Language"))
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, p.cfg.maxRequestBytes)
	}
	defer func() { // also when ReverseProxy aborts a broken copy with a panic
		if x.translated != nil {
			p.recordTranslated(r, x)
		}
	}()
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
}

// rewrite pins the outbound request to the upstream: scheme, host and path
// prefix, and Host. ReverseProxy has already dropped the hop-by-hop and
// X-Forwarded headers; the proxy's own request header goes too, and
// Accept-Encoding keeps only the codings the proxy decodes.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(p.upstream)
	pr.Out.Header.Del(HeaderErrorBody)
	restrictAcceptEncoding(pr.Out.Header)
}

// itoa formats n in decimal.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
