package server_test

import (
	"context"
	"errors"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// waitRefused polls, on fresh connections, until the server refuses new
// calls. It gives up after a bounded number of tries.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	for range 200 {
		conn := servertest.Dial(t, addr)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		_ = conn.Close()
		if status.Code(err) == codes.Unavailable {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the server still accepts new calls while draining")
}

func TestShutdownDrainsCallsInFlight(t *testing.T) {
	t.Parallel()
	const inFlight = 8
	g := newGate(inFlight)
	s := servertest.Start(t, server.WithUnaryInterceptors(g.unary))
	conn := s.Dial(t)
	c := errbridgev1.NewTranslatorServiceClient(conn)
	ctx := callCtx(t)

	watch, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	if resp, err := watch.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("first Watch status %v, %v; want SERVING", resp, err)
	}

	results := make(chan error, inFlight)
	for range inFlight {
		go func() {
			resp, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")})
			if err == nil && resp.GetReason() != "MEETING_NOT_FOUND" {
				err = errors.New("wrong translation: " + resp.String())
			}
			results <- err
		}()
	}
	for range inFlight {
		<-g.entered
	}

	shutdown := make(chan error, 1)
	go func() {
		sctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		shutdown <- s.Shutdown(sctx)
	}()

	// Health flips to NOT_SERVING, and the watch ends so as not to hold the drain.
	if resp, err := watch.Recv(); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("Watch status during drain %v, %v; want NOT_SERVING", resp, err)
	}
	if _, err := watch.Recv(); err == nil {
		t.Fatal("the Watch stream goes on during drain")
	}
	// New calls are refused while the old ones are still running.
	waitRefused(t, s.Addr)
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned %v with calls in flight", err)
	default:
	}

	close(g.release)
	for i := range inFlight {
		if err := <-results; err != nil {
			t.Errorf("call %d in flight: %v", i, err)
		}
	}
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func TestShutdownStopsHardAtTheDeadline(t *testing.T) {
	t.Parallel()
	g := newGate(1)
	s := servertest.Start(t, server.WithUnaryInterceptors(g.unary))
	c := stub(t, s)
	result := make(chan error, 1)
	go func() {
		_, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400})
		result <- err
	}()
	<-g.entered // never released

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want the deadline's error", err)
	}
	if err := <-result; err == nil {
		t.Error("the stuck call succeeded after a hard stop")
	}
}
