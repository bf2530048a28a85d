package servertest

import (
	"net"
	"testing"
)

// ServeGateway serves the server's HTTP port (see
// [server.Server.ServeGateway]) on a loopback port of its own until the
// server stops, and returns its base URL, e.g. "http://127.0.0.1:43210".
func (s *Server) ServeGateway(tb testing.TB) string {
	tb.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Server.ServeGateway(lis) }()
	tb.Cleanup(func() {
		s.Stop()
		if err := <-done; err != nil {
			tb.Errorf("ServeGateway: %v", err)
		}
	})
	return "http://" + lis.Addr().String()
}
