package server_test

import (
	"testing"

	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	hc := healthpb.NewHealthClient(servertest.Start(t).Dial(t))
	for _, tc := range []struct {
		name    string
		service string
		code    codes.Code
	}{
		{"server", "", codes.OK},
		{"TranslatorService", server.ServiceName, codes.OK},
		{"unknown service", "no.such.Service", codes.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := hc.Check(callCtx(t), &healthpb.HealthCheckRequest{Service: tc.service})
			if status.Code(err) != tc.code {
				t.Fatalf("Check: %v, want %v", err, tc.code)
			}
			if err == nil && resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
				t.Errorf("status %v, want SERVING", resp.GetStatus())
			}
		})
	}
}
