package server

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/errbridge/errbridge/server/httpgw"
)

// Timeouts of the HTTP port. Calls are short; streams (a health Watch over
// Connect or gRPC-Web) end when the server drains, so there is no write
// timeout, as there is none on the gRPC port.
const (
	gatewayReadHeaderTimeout = 5 * time.Second
	gatewayReadTimeout       = 30 * time.Second
	gatewayIdleTimeout       = 2 * time.Minute
)

// gateway is the state of the HTTP port: its handler, built once, and the
// HTTP servers that serve it.
type gateway struct {
	maxStreams uint32
	tls        *tls.Config // the server's TLS settings, read once by New; nil for plaintext

	once    sync.Once
	handler http.Handler
	err     error

	servers httpServers
}

// configure takes the settings that the HTTP port shares with the gRPC
// port: its stream limit from the server's configuration, and the TLS
// settings New has read for both ports (nil for plaintext).
func (g *gateway) configure(cfg *config, tc *tls.Config) {
	g.maxStreams = cfg.maxConcurrentStreams
	g.tls = tc
}

// GatewayHandler returns the handler of the HTTP port (see
// [Server.ServeGateway]), built the first time it is asked for.
func (s *Server) GatewayHandler() (http.Handler, error) {
	s.gateway.once.Do(func() {
		// JSON carries a body as base64 (4/3 of its bytes) and adds field
		// names; twice the gRPC receive limit lets any message that gRPC would
		// take through, and the gRPC limit then applies to it as it is.
		s.gateway.handler, s.gateway.err = httpgw.New(s.grpc,
			httpgw.WithMaxMessageBytes(uint32(min(2*int64(s.maxRecv), math.MaxUint32))))
	})
	return s.gateway.handler, s.gateway.err
}

// ServeGateway serves the HTTP port on lis until the server stops, then
// returns nil: the Connect protocol, gRPC-Web and the REST paths of
// TranslatorService, the other services over Connect and gRPC-Web, and the
// catalogue page at /, over HTTP/1.1 and HTTP/2 (h2c in plaintext), with
// the server's TLS settings when it has them. Every call goes through the
// same grpc.Server as the gRPC port, so the same interceptors (metrics,
// logging, recovery), message limits and health apply.
//
// On [Server.Shutdown] the HTTP port stops accepting, lets its calls in
// flight finish, and closes; only then does the gRPC port drain. grpc-go's
// GracefulStop cancels the HTTP calls that it finds running (it drains
// their transports by closing them), so they must be done by then; the
// gRPC port goes on serving meanwhile, for as long as the slowest HTTP call
// takes, and its own calls then drain as usual. Refusing gRPC calls in that
// window would fail calls that grpc-go already accepted, where its GOAWAY
// lets clients retry them elsewhere.
func (s *Server) ServeGateway(lis net.Listener) error {
	g := &s.gateway
	h, err := s.GatewayHandler()
	if err != nil {
		_ = lis.Close()
		return err
	}
	var tc *tls.Config
	if g.tls != nil {
		tc = g.tls.Clone() // its NextProtos are the HTTP port's own
	}
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(tc == nil)
	hs := &http.Server{
		Handler:           h,
		Protocols:         protocols,
		HTTP2:             &http.HTTP2Config{MaxConcurrentStreams: int(min(g.maxStreams, math.MaxInt32))},
		MaxHeaderBytes:    MaxHeaderListBytes,
		ReadHeaderTimeout: gatewayReadHeaderTimeout,
		ReadTimeout:       gatewayReadTimeout,
		IdleTimeout:       gatewayIdleTimeout,
		// net/http's own complaints (a failed TLS handshake, a broken
		// connection) go to the server's JSON log; they name no header.
		ErrorLog: slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	if tc != nil {
		tc.NextProtos = []string{"h2", "http/1.1"}
		lis = tls.NewListener(lis, tc)
	}
	return g.servers.serve(hs, lis)
}

// shutdown closes the HTTP servers: gracefully, waiting for their calls in
// flight, until ctx ends, then at once.
func (g *gateway) shutdown(ctx context.Context) { g.servers.shutdown(ctx) }
