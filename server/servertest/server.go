package servertest

import (
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/errbridge/errbridge/server"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Server is a [server.Server] serving on a loopback port of its own.
type Server struct {
	*server.Server
	// Addr is the host:port the server listens on, on 127.0.0.1.
	Addr string
}

// Start builds a server with opts and serves it on 127.0.0.1:0 until the
// test ends, when it is stopped. Logs are discarded unless opts set a
// logger.
func Start(tb testing.TB, opts ...server.Option) *Server {
	tb.Helper()
	quiet := server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv, err := server.New(append([]server.Option{quiet}, opts...)...)
	if err != nil {
		tb.Fatalf("server.New: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(lis) }()
	tb.Cleanup(func() {
		srv.Stop()
		if err := <-done; err != nil {
			tb.Errorf("Serve: %v", err)
		}
	})
	return &Server{Server: srv, Addr: lis.Addr().String()}
}

// Dial returns a connection to the server, plaintext unless opts set
// credentials, closed when the test ends.
func (s *Server) Dial(tb testing.TB, opts ...grpc.DialOption) *grpc.ClientConn {
	tb.Helper()
	return Dial(tb, s.Addr, opts...)
}

// Dial returns a connection to addr, plaintext unless opts set credentials,
// closed when the test ends.
func Dial(tb testing.TB, addr string, opts ...grpc.DialOption) *grpc.ClientConn {
	tb.Helper()
	all := append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)
	conn, err := grpc.NewClient(addr, all...)
	if err != nil {
		tb.Fatalf("grpc.NewClient(%s): %v", addr, err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}
