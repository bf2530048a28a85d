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
	creds         credentials.TransportCredentials
	noRetries     bool
	serviceConfig string
	maxRecv       int
	dial          []grpc.DialOption
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

// WithRetriesEnabled keeps gRPC's retries on.
//
// Deprecated: retries are on by default ([DefaultServiceConfig]); see
// [WithoutRetries].
func WithRetriesEnabled() Option {
	return func(o *options) { o.noRetries = false }
}

// WithoutRetries turns gRPC's retries off, both transparent ones and the
// retry policy of the service config: every call is tried once.
func WithoutRetries() Option {
	return func(o *options) { o.noRetries = true }
}

// WithServiceConfig replaces [DefaultServiceConfig] with serviceConfig, a
// gRPC service config in JSON. A service config from the name resolver
// still takes precedence, as with grpc.WithDefaultServiceConfig.
func WithServiceConfig(serviceConfig string) Option {
	return func(o *options) { o.serviceConfig = serviceConfig }
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
	return options{creds: insecure.NewCredentials(), serviceConfig: DefaultServiceConfig, maxRecv: DefaultMaxRecvMsgSize}
}
