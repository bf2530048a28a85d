package proxy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/errbridge/errbridge/translate"
	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of the proxy's limits and of its transport to the upstream.
const (
	// DefaultMaxRequestBytes bounds a request body forwarded upstream; a
	// larger one is refused with 413.
	DefaultMaxRequestBytes = 10 << 20
	// DefaultMaxErrorBodyBytes bounds an error body read for translation,
	// like the engine's body limit of errbridge serve.
	DefaultMaxErrorBodyBytes = 64 << 10
	// DefaultPeekBytes bounds how much of a 2xx JSON body is read to look
	// for an error code; a longer body streams through uninspected.
	DefaultPeekBytes = 64 << 10
	// DefaultDialTimeout bounds connecting to the upstream.
	DefaultDialTimeout = 10 * time.Second
	// DefaultTLSHandshakeTimeout bounds the TLS handshake with the upstream.
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultResponseHeaderTimeout bounds the wait for the upstream's
	// response headers once the request is sent.
	DefaultResponseHeaderTimeout = 60 * time.Second
	// DefaultIdleConnTimeout is how long an idle upstream connection is kept.
	DefaultIdleConnTimeout = 90 * time.Second
	// DefaultMaxIdleConns is how many idle upstream connections are kept.
	DefaultMaxIdleConns = 256
)

// config is what the options set.
type config struct {
	translator        *translate.Translator
	errorBody         ErrorBody
	maxRequestBytes   int64
	maxErrorBodyBytes int
	peekBytes         int
	logger            *slog.Logger
	registry          *prometheus.Registry
	transport         http.RoundTripper
	upstream          transportConfig
}

func defaultConfig() config {
	return config{
		errorBody:         ErrorBodyUpstream,
		maxRequestBytes:   DefaultMaxRequestBytes,
		maxErrorBodyBytes: DefaultMaxErrorBodyBytes,
		peekBytes:         DefaultPeekBytes,
		upstream: transportConfig{
			dialTimeout:           DefaultDialTimeout,
			tlsHandshakeTimeout:   DefaultTLSHandshakeTimeout,
			responseHeaderTimeout: DefaultResponseHeaderTimeout,
			idleConnTimeout:       DefaultIdleConnTimeout,
			maxIdleConns:          DefaultMaxIdleConns,
		},
	}
}

// Option configures a [Proxy].
type Option func(*config) error

// WithTranslator sets the engine (default [translate.Default]).
func WithTranslator(t *translate.Translator) Option {
	return func(c *config) error {
		if t == nil {
			return errors.New("proxy: nil translator")
		}
		c.translator = t
		return nil
	}
}

// WithErrorBody sets the body of translated errors (default
// [ErrorBodyUpstream]); a request's [HeaderErrorBody] overrides it.
func WithErrorBody(m ErrorBody) Option {
	return func(c *config) error {
		if m < ErrorBodyUpstream || m > ErrorBodySDK {
			return fmt.Errorf("proxy: invalid error body mode %d", int(m))
		}
		c.errorBody = m
		return nil
	}
}

// WithMaxRequestBytes bounds request bodies (default
// [DefaultMaxRequestBytes]): a larger declared length is refused with 413
// before the upstream is called, and a longer chunked body is cut and
// answered with 413.
func WithMaxRequestBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("proxy: max request bytes must be positive, got %d", n)
		}
		c.maxRequestBytes = n
		return nil
	}
}

// WithMaxErrorBodyBytes bounds the error bodies read for translation
// (default [DefaultMaxErrorBodyBytes]). A longer one is translated from its
// first n bytes; in the upstream mode it still streams through whole, in the
// others the proxy answers 502.
func WithMaxErrorBodyBytes(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("proxy: max error body bytes must be positive, got %d", n)
		}
		c.maxErrorBodyBytes = n
		return nil
	}
}

// WithPeekBytes bounds how much of a 2xx JSON body is read to look for an
// error code (default [DefaultPeekBytes]).
func WithPeekBytes(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("proxy: peek bytes must be positive, got %d", n)
		}
		c.peekBytes = n
		return nil
	}
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("proxy: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithMetricsRegistry registers the proxy's metrics with reg (default: a
// registry of the proxy's own, with the Go and process collectors).
func WithMetricsRegistry(reg *prometheus.Registry) Option {
	return func(c *config) error {
		if reg == nil {
			return errors.New("proxy: nil metrics registry")
		}
		c.registry = reg
		return nil
	}
}

// WithTransport replaces the proxy's transport to the upstream; the
// transport options below then do nothing.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error {
		if rt == nil {
			return errors.New("proxy: nil transport")
		}
		c.transport = rt
		return nil
	}
}

// WithUpstreamCAFile trusts the PEM CAs in path for the upstream's
// certificate, in addition to the system roots. The file is read by [New].
func WithUpstreamCAFile(path string) Option {
	return func(c *config) error {
		if path == "" {
			return errors.New("proxy: empty upstream CA file name")
		}
		c.upstream.caFile = path
		return nil
	}
}

// WithUpstreamTimeouts sets how long connecting, the TLS handshake, and the
// wait for response headers may take (defaults [DefaultDialTimeout],
// [DefaultTLSHandshakeTimeout], [DefaultResponseHeaderTimeout]); 0 leaves
// one unbounded.
func WithUpstreamTimeouts(dial, tlsHandshake, responseHeader time.Duration) Option {
	return func(c *config) error {
		if dial < 0 || tlsHandshake < 0 || responseHeader < 0 {
			return errors.New("proxy: upstream timeouts must not be negative")
		}
		c.upstream.dialTimeout, c.upstream.tlsHandshakeTimeout, c.upstream.responseHeaderTimeout = dial, tlsHandshake, responseHeader
		return nil
	}
}

// WithUpstreamIdleConns sets how many idle upstream connections are kept,
// and for how long (defaults [DefaultMaxIdleConns], [DefaultIdleConnTimeout]).
func WithUpstreamIdleConns(n int, timeout time.Duration) Option {
	return func(c *config) error {
		if n < 0 || timeout < 0 {
			return errors.New("proxy: idle connection settings must not be negative")
		}
		c.upstream.maxIdleConns, c.upstream.idleConnTimeout = n, timeout
		return nil
	}
}
