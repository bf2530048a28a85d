package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
)

// TestSilentCallsNeitherStarveProbesNorKeepTheBudget opens translator calls
// that send their headers and never their message, enough to reserve the
// whole memory budget. While they wait, a health check and a reflection
// call still answer (probes reserve from a budget of their own) and a
// translation is refused with RESOURCE_EXHAUSTED and a RetryInfo; once the
// receive timeout has passed, the silent calls have ended with
// DEADLINE_EXCEEDED, the budget is free again, and a translation succeeds.
func TestSilentCallsNeitherStarveProbesNorKeepTheBudget(t *testing.T) {
	t.Parallel()
	const (
		maxBody = 1024
		silent  = 2 // the budget holds this many receive reservations
		timeout = 2 * time.Second
	)
	reservation := 2 * int64(server.MaxRecvMsgSize(maxBody, 4, server.DefaultMaxBatchBytes))
	reg := prometheus.NewRegistry()
	s := servertest.Start(t,
		server.WithMetricsRegistry(reg),
		server.WithMaxBodyBytes(maxBody),
		server.WithMaxBatch(4),
		server.WithMemoryBudget(silent*reservation),
		server.WithReceiveTimeout(timeout))
	conn := s.Dial(t)
	ctx := callCtx(t)

	errs := make(chan error, silent)
	start := time.Now()
	for range silent {
		st, err := conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true}, errbridgev1.TranslatorService_Translate_FullMethodName)
		if err != nil {
			t.Fatalf("opening a silent call: %v", err)
		}
		go func() { errs <- st.RecvMsg(&errbridgev1.TranslateResponse{}) }()
	}
	reserved := func() float64 { return metricValue(t, reg, "errbridge_memory_budget_reserved_bytes") }
	waitFor(t, "the silent calls to reserve the whole budget", func() bool { return reserved() == float64(silent*reservation) })

	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: server.ServiceName})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health check with the budget held by silent calls: %v, %v; want SERVING", resp, err)
	}
	if err := listServices(ctx, conn); err != nil {
		t.Errorf("reflection with the budget held by silent calls: %v", err)
	}
	_, err = errbridgev1.NewTranslatorServiceClient(conn).Translate(ctx, healthyRequest())
	st := status.Convert(err)
	var retry *errdetails.RetryInfo
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			retry = ri
		}
	}
	if st.Code() != codes.ResourceExhausted || retry == nil {
		t.Errorf("a translation with the budget held: %v (details %v); want RESOURCE_EXHAUSTED with a RetryInfo", err, st.Details())
	}
	if time.Since(start) >= timeout {
		t.Fatalf("the checks above took %v, past the receive timeout of %v: the machine is too slow for this test's timing", time.Since(start), timeout)
	}

	for range silent {
		err := <-errs
		if status.Code(err) != codes.DeadlineExceeded {
			t.Errorf("a silent call ended with %v, want DEADLINE_EXCEEDED", err)
		}
	}
	if waited := time.Since(start); waited < timeout {
		t.Errorf("the silent calls ended after %v, before the receive timeout of %v", waited, timeout)
	}
	waitFor(t, "the silent calls to give their reservations back", func() bool { return reserved() == 0 })
	if got := metricValue(t, reg, "errbridge_grpc_server_handled_total",
		"grpc_service", server.ServiceName, "grpc_method", "Translate", "grpc_code", codes.DeadlineExceeded.String()); got != silent {
		t.Errorf("handled_total{grpc_code=DeadlineExceeded} = %v, want %d", got, silent)
	}
	if err := translateOK(ctx, errbridgev1.NewTranslatorServiceClient(conn)); err != nil {
		t.Errorf("a translation once the silent calls have ended: %v", err)
	}
}

// listServices asks reflection for the services, on a stream it closes.
func listServices(ctx context.Context, conn *grpc.ClientConn) error {
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return err
	}
	if err := stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		return err
	}
	resp, err := stream.Recv()
	if err != nil {
		return err
	}
	if len(resp.GetListServicesResponse().GetService()) == 0 {
		return fmt.Errorf("no services listed: %v", resp)
	}
	return stream.CloseSend()
}
