package client

import (
	"crypto/tls"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// DefaultMaxRecvMsgSize is the largest response a [Client] accepts unless
// told otherwise: room for a full batch of 1,000 translations.
const DefaultMaxRecvMsgSize = 64 << 20

// options are what the Options set.
type options struct {
	creds   credentials.TransportCredentials
	retries bool
	maxRecv int
	dial    []grpc.DialOption
}

// Option configures [Dial].
type Option func(*options)

// WithTransportCredentials sets the connection's credentials (default:
// plaintext, matching a server without TLS).
func WithTransportCredentials(creds credentials.TransportCredentials) Option {
	return func(o *options) { o.creds = creds }
}

// WithTLSConfig connects over TLS with cfg (see also [TLSCredentials]).
func WithTLSConfig(cfg *tls.Config) Option {
	return func(o *options) { o.creds = credentials.NewTLS(cfg) }
}

// WithRetriesEnabled leaves gRPC's transparent and configured retries on, so
// that a retry policy from the service config (given with
// grpc.WithDefaultServiceConfig through [WithDialOptions], or by the name
// resolver) applies. By default they are off: retrying is the caller's
// decision, which [ShouldRetry] and [RetryDelay] inform.
func WithRetriesEnabled() Option {
	return func(o *options) { o.retries = true }
}

// WithMaxRecvMsgSize bounds the responses the client accepts (default
// [DefaultMaxRecvMsgSize]).
func WithMaxRecvMsgSize(n int) Option {
	return func(o *options) { o.maxRecv = n }
}

// WithDialOptions adds gRPC dial options after the client's own, so they
// take precedence where they overlap.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dial = append(o.dial, opts...) }
}

func defaultOptions() options {
	return options{creds: insecure.NewCredentials(), maxRecv: DefaultMaxRecvMsgSize}
}
