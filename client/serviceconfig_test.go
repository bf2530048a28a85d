package client_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"
)

// scriptedServer answers Translate with failCode for its first failures
// calls, then OK, and counts the calls it saw.
type scriptedServer struct {
	errbridgev1.UnimplementedTranslatorServiceServer
	failCode codes.Code
	failures int64
	calls    atomic.Int64
}

func (s *scriptedServer) Translate(context.Context, *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	if n := s.calls.Add(1); n <= s.failures {
		return nil, status.Error(s.failCode, "scripted failure")
	}
	return &errbridgev1.TranslateResponse{Reason: "OK_FROM_SCRIPT"}, nil
}

// startScripted serves s on a loopback port, with a health service that says
// healthy, and returns the address.
func startScripted(t *testing.T, s *scriptedServer, healthy bool) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	errbridgev1.RegisterTranslatorServiceServer(g, s)
	h := health.NewServer()
	if !healthy {
		h.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	}
	healthpb.RegisterHealthServer(g, h)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	return lis.Addr().String()
}

// dialAll dials the addresses through one resolver, as a headless Service's
// DNS name would give them.
func dialAll(t *testing.T, addrs []string, opts ...client.Option) *client.Client {
	t.Helper()
	r := manual.NewBuilderWithScheme("replicas")
	var state resolver.State
	for _, a := range addrs {
		state.Addresses = append(state.Addresses, resolver.Address{Addr: a})
	}
	r.InitialState(state)
	c, err := client.Dial(r.Scheme()+":///errbridge", append(opts, client.WithDialOptions(grpc.WithResolvers(r)))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestDefaultServiceConfigRetriesUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failCode  codes.Code
		failures  int64
		opts      []client.Option
		wantCode  codes.Code
		wantCalls int64
	}{
		{"UNAVAILABLE twice, then OK", codes.Unavailable, 2, nil, codes.OK, 3},
		{"UNAVAILABLE beyond the 5 attempts", codes.Unavailable, 10, nil, codes.Unavailable, 5},
		{"INTERNAL is not retried", codes.Internal, 1, nil, codes.Internal, 1},
		{"WithoutRetries", codes.Unavailable, 1, []client.Option{client.WithoutRetries()}, codes.Unavailable, 1},
		{"a service config of the caller's, without a retry policy", codes.Unavailable, 1,
			[]client.Option{client.WithServiceConfig(`{"loadBalancingConfig":[{"pick_first":{}}]}`)}, codes.Unavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &scriptedServer{failCode: tt.failCode, failures: tt.failures}
			c := dialAll(t, []string{startScripted(t, s, true)}, tt.opts...)
			_, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400})
			if got := status.Code(err); got != tt.wantCode {
				t.Errorf("code %v (%v), want %v", got, err, tt.wantCode)
			}
			if got := s.calls.Load(); got != tt.wantCalls {
				t.Errorf("the server saw %d attempts, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestDefaultServiceConfigBalancesOverHealthyReplicas(t *testing.T) {
	t.Parallel()
	servers := []*scriptedServer{{}, {}, {}}
	addrs := []string{
		startScripted(t, servers[0], true),
		startScripted(t, servers[1], true),
		startScripted(t, servers[2], false), // NOT_SERVING: draining
	}
	c := dialAll(t, addrs)
	ctx := callCtx(t)
	// The first calls may all reach the replica that was ready first; wait
	// until both healthy ones have answered, then count afresh.
	for servers[0].calls.Load() == 0 || servers[1].calls.Load() == 0 {
		if _, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 400}); err != nil {
			t.Fatal(err)
		}
	}
	before := []int64{servers[0].calls.Load(), servers[1].calls.Load()}
	const n = 40
	for range n {
		if _, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 400}); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range servers[:2] {
		if got := s.calls.Load() - before[i]; got != n/2 {
			t.Errorf("replica %d served %d of %d calls, want %d (round robin)", i, got, n, n/2)
		}
	}
	if got := servers[2].calls.Load(); got != 0 {
		t.Errorf("the NOT_SERVING replica served %d calls", got)
	}
}
