package server

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// Defaults of the server's transport settings.
const (
	// DefaultMaxConcurrentStreams bounds the concurrent calls of one
	// connection. A call waiting for the memory budget holds a stream window
	// of unread request bytes ([StreamWindowBytes]); fewer streams bound what
	// one connection can pin. A client that wants more concurrency waits, as
	// grpc-go clients do, for a stream, or opens more connections.
	DefaultMaxConcurrentStreams = 100
	// DefaultConnectionTimeout bounds connection set-up, TLS handshake included.
	DefaultConnectionTimeout = 20 * time.Second
	// DefaultReceiveTimeout bounds how long a call may hold its reservation
	// of the memory budget waiting for its request message (see
	// [WithReceiveTimeout]). A client sends a unary call's message right
	// after its headers; 10 s lets a maximal 1 MiB message cross a link of
	// 1 Mbit/s.
	DefaultReceiveTimeout = 10 * time.Second
	// DefaultKeepaliveMinTime is how often a client may ping at most.
	DefaultKeepaliveMinTime = 10 * time.Second
	// DefaultKeepaliveTime is how long a connection may be quiet before the
	// server pings it.
	DefaultKeepaliveTime = 2 * time.Hour
	// DefaultKeepaliveTimeout is how long the server waits for a ping's answer.
	DefaultKeepaliveTimeout = 20 * time.Second
	// DefaultMaxConnectionAge is how long a connection lives before the
	// server asks the client, with a GOAWAY, to open a new one (grpc-go adds
	// up to 10 % of jitter). gRPC connections otherwise live as long as the
	// client: a client balances only over the servers it resolved when it
	// connected, and behind an L4 load balancer it stays on one replica.
	// Reconnecting every few minutes makes clients re-resolve and spread
	// over the replicas added by a scale-out.
	DefaultMaxConnectionAge = 5 * time.Minute
	// DefaultMaxConnectionAgeGrace is how long calls still running on a
	// connection past its age may take before it closes hard. Translations
	// take milliseconds; a health Watch stream is the one call that lasts,
	// and the client reopens it on its new connection.
	DefaultMaxConnectionAgeGrace = 30 * time.Second
	// DefaultStreamWorkers is how many goroutines serve calls, kept from one
	// call to the next. A call that finds them all busy gets a goroutine of
	// its own. A goroutine per call, grpc-go's default, grew its stack anew
	// for every call; with 64 workers the server spent 10 to 20 % less CPU
	// per unary call under load (bench/README.md).
	DefaultStreamWorkers = 64
	// MaxHeaderListBytes bounds the metadata (HTTP/2 header list) of one call.
	// Callers of errbridge need a few hundred bytes; grpc-go's own default of
	// 16 MiB would let one connection pin gigabytes in half-open calls.
	MaxHeaderListBytes = 64 << 10
)

// Defaults of the memory bounds.
const (
	// DefaultMemoryBudget is the server-wide budget of bytes that calls in
	// flight may hold (see [WithMemoryBudget]).
	DefaultMemoryBudget = 128 << 20
	// DefaultMaxBatchBytes bounds the encoded size of one
	// TranslateBatchRequest (see [WithMaxBatchBytes]).
	DefaultMaxBatchBytes = 1 << 20
	// ConnWindowBytes is the connection's flow-control window.
	ConnWindowBytes = 1 << 20
)

// StreamWindowBytes is the HTTP/2 flow-control window of each stream: what
// a client may send on a stream before the server reads it. It holds a
// request with a maximal body (plus 16 KiB for its other fields), so that
// such a request never waits for a window update, and at least 64 KiB. It
// is static: grpc-go's dynamic windows grow to megabytes a stream.
func StreamWindowBytes(maxBodyBytes int) int32 {
	return int32(min(max(64<<10, int64(maxBodyBytes)+16<<10), math.MaxInt32))
}

// DefaultKeepaliveEnforcement is the keepalive enforcement policy unless
// [WithKeepalive] says otherwise: pings at most every 10 seconds, allowed
// without calls in flight.
func DefaultKeepaliveEnforcement() keepalive.EnforcementPolicy {
	return keepalive.EnforcementPolicy{MinTime: DefaultKeepaliveMinTime, PermitWithoutStream: true}
}

// DefaultKeepaliveParams is the server's keepalive behaviour unless
// [WithKeepalive] says otherwise: connections are renewed after
// [DefaultMaxConnectionAge] (with [DefaultMaxConnectionAgeGrace]), never
// closed for idleness, and pinged after two quiet hours.
func DefaultKeepaliveParams() keepalive.ServerParameters {
	return keepalive.ServerParameters{
		MaxConnectionAge:      DefaultMaxConnectionAge,
		MaxConnectionAgeGrace: DefaultMaxConnectionAgeGrace,
		Time:                  DefaultKeepaliveTime,
		Timeout:               DefaultKeepaliveTimeout,
	}
}

// config is what the options set.
type config struct {
	translator           *translate.Translator
	maxBodyBytes         int
	maxBatch             int
	maxBatchBytes        int
	memoryBudget         int64
	maxConcurrentStreams uint32
	streamWorkers        uint32
	connectionTimeout    time.Duration
	receiveTimeout       time.Duration
	enforcement          keepalive.EnforcementPolicy
	keepalive            keepalive.ServerParameters
	certFile, keyFile    string
	clientCAFile         string
	logger               *slog.Logger
	registry             *prometheus.Registry
	unary                []grpc.UnaryServerInterceptor
	stream               []grpc.StreamServerInterceptor
	registrars           []func(grpc.ServiceRegistrar)
}

func defaultConfig() config {
	return config{
		maxBodyBytes:         service.DefaultMaxBodyBytes,
		maxBatch:             service.DefaultMaxBatch,
		maxBatchBytes:        DefaultMaxBatchBytes,
		memoryBudget:         DefaultMemoryBudget,
		maxConcurrentStreams: DefaultMaxConcurrentStreams,
		streamWorkers:        DefaultStreamWorkers,
		connectionTimeout:    DefaultConnectionTimeout,
		receiveTimeout:       DefaultReceiveTimeout,
		enforcement:          DefaultKeepaliveEnforcement(),
		keepalive:            DefaultKeepaliveParams(),
	}
}

// Option configures a [Server].
type Option func(*config) error

// WithTranslator sets the engine (default [translate.Default]).
func WithTranslator(t *translate.Translator) Option {
	return func(c *config) error {
		if t == nil {
			return errors.New("server: nil translator")
		}
		c.translator = t
		return nil
	}
}

// WithMaxBodyBytes bounds the body of one TranslateRequest (default 64 KiB).
// With [WithMaxBatch] it also sets the largest message the server receives;
// see [MaxRecvMsgSize].
func WithMaxBodyBytes(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("server: max body bytes must be positive, got %d", n)
		}
		c.maxBodyBytes = n
		return nil
	}
}

// WithMaxBatch bounds the requests of one TranslateBatchRequest (default
// 1000).
func WithMaxBatch(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("server: max batch must be positive, got %d", n)
		}
		c.maxBatch = n
		return nil
	}
}

// WithMaxBatchBytes bounds the encoded size of one TranslateBatchRequest
// (default [DefaultMaxBatchBytes]); a larger batch is refused with
// RESOURCE_EXHAUSTED before it is read. It sets the receive limit with
// [WithMaxBodyBytes] and [WithMaxBatch]; see [MaxRecvMsgSize].
func WithMaxBatchBytes(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("server: max batch bytes must be positive, got %d", n)
		}
		c.maxBatchBytes = n
		return nil
	}
}

// WithMemoryBudget sets the server-wide budget of bytes that calls in
// flight may hold (default [DefaultMemoryBudget]). Before a call's message
// is read, the call reserves twice the receive limit (the message in
// grpc-go's frames and decoded), waiting up to 250 ms for it behind at most
// [MaxAdmissionQueue] others; once decoded,
// it keeps what its request and response hold (the request's size plus
// 12 KiB a translation) and gives the rest back. A call that cannot reserve
// is refused with RESOURCE_EXHAUSTED and a RetryInfo, before anything large
// is allocated for it. Health and reflection calls reserve alike, from a
// budget of their own of [ProbeReservations] reservations. The budget must
// hold at least one reservation: 2 × [MaxRecvMsgSize].
func WithMemoryBudget(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("server: memory budget must be positive, got %d", n)
		}
		c.memoryBudget = n
		return nil
	}
}

// WithMaxConcurrentStreams bounds the concurrent calls of one connection
// (default [DefaultMaxConcurrentStreams]).
func WithMaxConcurrentStreams(n uint32) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("server: max concurrent streams must be positive")
		}
		c.maxConcurrentStreams = n
		return nil
	}
}

// WithStreamWorkers sets how many goroutines serve calls and are kept
// between them (default [DefaultStreamWorkers]); 0 starts a goroutine for
// every call instead.
func WithStreamWorkers(n uint32) Option {
	return func(c *config) error {
		if n > MaxStreamWorkers {
			return fmt.Errorf("server: at most %d stream workers, got %d", MaxStreamWorkers, n)
		}
		c.streamWorkers = n
		return nil
	}
}

// MaxStreamWorkers bounds [WithStreamWorkers]: each worker is a goroutine
// that lives as long as the server.
const MaxStreamWorkers = 4096

// WithConnectionTimeout bounds the set-up of a new connection, TLS handshake
// included (default [DefaultConnectionTimeout]).
func WithConnectionTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("server: connection timeout must be positive, got %v", d)
		}
		c.connectionTimeout = d
		return nil
	}
}

// WithReceiveTimeout bounds how long a call, once it holds its reservation
// of the memory budget, may take to deliver its request message (each
// message, for a stream): default [DefaultReceiveTimeout]. A call whose
// message has not arrived by then ends with DEADLINE_EXCEEDED and gives its
// reservation back, so that streams opened and left silent hold the budget
// for no longer than this.
func WithReceiveTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("server: receive timeout must be positive, got %v", d)
		}
		c.receiveTimeout = d
		return nil
	}
}

// WithKeepalive sets the keepalive enforcement policy and parameters
// (default [DefaultKeepaliveEnforcement] and [DefaultKeepaliveParams]).
func WithKeepalive(policy keepalive.EnforcementPolicy, params keepalive.ServerParameters) Option {
	return func(c *config) error {
		if policy.MinTime < 0 || params.Time < 0 || params.Timeout < 0 || params.MaxConnectionIdle < 0 ||
			params.MaxConnectionAge < 0 || params.MaxConnectionAgeGrace < 0 {
			return errors.New("server: keepalive durations must not be negative")
		}
		c.enforcement, c.keepalive = policy, params
		return nil
	}
}

// WithTLSFiles serves TLS with the PEM certificate chain and key in certFile
// and keyFile. When clientCAFile is not empty, clients must present a
// certificate signed by one of the PEM CAs in it (mTLS). The files are read
// by [New].
func WithTLSFiles(certFile, keyFile, clientCAFile string) Option {
	return func(c *config) error {
		if certFile == "" || keyFile == "" {
			return errors.New("server: TLS needs both a certificate and a key file")
		}
		c.certFile, c.keyFile, c.clientCAFile = certFile, keyFile, clientCAFile
		return nil
	}
}

// WithLogger sets the logger of the server's logs (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("server: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithMetricsRegistry registers the server's metrics with reg, which
// [Server.MetricsHandler] then serves (default: a registry of the server's
// own, with the Go and process collectors).
func WithMetricsRegistry(reg *prometheus.Registry) Option {
	return func(c *config) error {
		if reg == nil {
			return errors.New("server: nil metrics registry")
		}
		c.registry = reg
		return nil
	}
}

// WithUnaryInterceptors adds unary interceptors that run inside the built-in
// ones (metrics, logging, recovery, in that order), so that a panic in one
// is recovered like a panic in a handler.
func WithUnaryInterceptors(is ...grpc.UnaryServerInterceptor) Option {
	return func(c *config) error {
		c.unary = append(c.unary, is...)
		return nil
	}
}

// WithStreamInterceptors adds stream interceptors that run inside the
// built-in ones.
func WithStreamInterceptors(is ...grpc.StreamServerInterceptor) Option {
	return func(c *config) error {
		c.stream = append(c.stream, is...)
		return nil
	}
}

// WithServices registers further services on the server, beside
// TranslatorService, health and reflection; register is called by [New].
func WithServices(register func(grpc.ServiceRegistrar)) Option {
	return func(c *config) error {
		if register == nil {
			return errors.New("server: nil service registrar")
		}
		c.registrars = append(c.registrars, register)
		return nil
	}
}
