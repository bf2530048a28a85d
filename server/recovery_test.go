package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// panicKey is the metadata key that makes panicker panic.
const panicKey = "x-test-panic"

// panicker is a test interceptor that panics when a call asks it to.
func panicker(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if md, _ := metadata.FromIncomingContext(ctx); len(md.Get(panicKey)) > 0 {
		panic("test panic: " + md.Get(panicKey)[0])
	}
	return handler(ctx, req)
}

// scrape returns the server's metrics text.
func scrape(t *testing.T, s *servertest.Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return string(body)
}

func TestRecoveryTurnsPanicsIntoInternal(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithUnaryInterceptors(panicker))
	c := stub(t, s)
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")}
	for i := range 2 {
		ctx := metadata.AppendToOutgoingContext(callCtx(t), panicKey, "boom")
		_, err := c.Translate(ctx, req)
		st, _ := status.FromError(err)
		if st.Code() != codes.Internal {
			t.Fatalf("call %d: %v, want INTERNAL", i, err)
		}
		if strings.Contains(st.Message(), "boom") {
			t.Errorf("the panic value reached the caller: %q", st.Message())
		}
	}
	// The server keeps serving.
	if _, err := c.Translate(callCtx(t), req); err != nil {
		t.Fatalf("after the panics: %v", err)
	}
	if m := scrape(t, s); !strings.Contains(m, "errbridge_panics_recovered_total 2\n") {
		t.Errorf("the panics are not counted:\n%s", grepLines(m, "panics"))
	}
}

// grepLines returns the lines of text that contain substr.
func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
