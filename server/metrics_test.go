package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
)

func TestMetricsEndpoint(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.ServeMetrics(lis) }()

	c := stub(t, s)
	for range 3 {
		if _, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.TranslateBatch(callCtx(t), &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{
		{HttpStatus: 502, Body: []byte("oops")},
		{HttpStatus: 0},
	}}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 1})

	req, _ := http.NewRequestWithContext(callCtx(t), http.MethodGet, "http://"+lis.Addr().String()+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	text := string(body)
	for _, want := range []string{
		`errbridge_translations_total{grpc_code="NotFound",reason="MEETING_NOT_FOUND"} 3`,
		`errbridge_translations_total{grpc_code="Unavailable",reason="UNPARSEABLE_BODY"} 1`,
		`errbridge_translations_total{grpc_code="PermissionDenied",reason="NOT_MEETING_CREATOR"} 0`,
		`errbridge_grpc_server_handled_total{grpc_code="OK",grpc_method="Translate",grpc_service="errbridge.v1.TranslatorService"} 3`,
		`errbridge_grpc_server_handled_total{grpc_code="InvalidArgument",grpc_method="Translate",grpc_service="errbridge.v1.TranslatorService"} 1`,
		`errbridge_grpc_server_handled_total{grpc_code="OK",grpc_method="TranslateBatch",grpc_service="errbridge.v1.TranslatorService"} 1`,
		`errbridge_grpc_server_handling_seconds_count{grpc_method="Translate",grpc_service="errbridge.v1.TranslatorService"} 4`,
		`errbridge_grpc_server_in_flight 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want+"\n") && !strings.Contains(text, want+" ") {
			t.Errorf("metrics lack %s", want)
		}
	}

	sctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("ServeMetrics: %v", err)
	}
}
