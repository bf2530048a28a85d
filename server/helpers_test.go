package server_test

import (
	"context"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// callTimeout bounds every call of the tests, so that a bug fails a test
// instead of hanging it.
const callTimeout = 30 * time.Second

func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// stub dials s and returns a TranslatorService client.
func stub(t *testing.T, s *servertest.Server) errbridgev1.TranslatorServiceClient {
	t.Helper()
	return errbridgev1.NewTranslatorServiceClient(s.Dial(t))
}

// restBody is a REST error body with the given code.
func restBody(code string) []byte {
	return []byte(`{"error_info":{"error_code":` + code + `,"message":"upstream says no"}}`)
}

// violatedFields returns the fields of the BadRequest detail of err, after
// checking that err is INVALID_ARGUMENT.
func violatedFields(t *testing.T, err error) []string {
	t.Helper()
	st, _ := status.FromError(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("error %v: code %v, want InvalidArgument", err, st.Code())
	}
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	if len(fields) == 0 {
		t.Fatalf("error %v has no BadRequest field violation", err)
	}
	return fields
}

// gate is a test interceptor that holds Translate calls until released.
type gate struct {
	entered chan struct{}
	release chan struct{}
}

func newGate(capacity int) *gate {
	return &gate{entered: make(chan struct{}, capacity), release: make(chan struct{})}
}

func (g *gate) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if info.FullMethod == errbridgev1.TranslatorService_Translate_FullMethodName {
		g.entered <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	return handler(ctx, req)
}
