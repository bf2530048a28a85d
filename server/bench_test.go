package server_test

import (
	"context"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"
)

// emptyMethod is the one method of a test-only service that does nothing,
// registered beside TranslatorService to measure what gRPC itself costs.
const emptyMethod = "/errbridge.test.v1.BenchService/Empty"

var benchServiceDesc = grpc.ServiceDesc{
	ServiceName: "errbridge.test.v1.BenchService",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Empty",
		Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			handle := func(context.Context, any) (any, error) { return in, nil }
			if interceptor == nil {
				return handle(ctx, in)
			}
			return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: emptyMethod}, handle)
		},
	}},
	Metadata: "bench_test.go",
}

// BenchmarkLoopback compares a Translate call with an empty call and a
// health check, on one server over one real loopback TCP connection, with
// the production interceptors (metrics, logging at info, recovery).
func BenchmarkLoopback(b *testing.B) {
	s := servertest.Start(b, server.WithServices(func(r grpc.ServiceRegistrar) {
		r.RegisterService(&benchServiceDesc, struct{}{})
	}))
	conn := s.Dial(b)
	tc := errbridgev1.NewTranslatorServiceClient(conn)
	hc := healthpb.NewHealthClient(conn)
	translateReq := fixture.TypicalRequest()
	batchReq := fixture.Batch(translateReq, 100)
	for _, bc := range []struct {
		name string
		call func(context.Context) error
	}{
		{"Translate", func(ctx context.Context) error {
			_, err := tc.Translate(ctx, translateReq)
			return err
		}},
		{"Empty", func(ctx context.Context) error {
			return conn.Invoke(ctx, emptyMethod, &emptypb.Empty{}, &emptypb.Empty{})
		}},
		{"HealthCheck", func(ctx context.Context) error {
			_, err := hc.Check(ctx, &healthpb.HealthCheckRequest{})
			return err
		}},
		{"TranslateBatch100", func(ctx context.Context) error {
			_, err := tc.TranslateBatch(ctx, batchReq)
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			if err := bc.call(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.call(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
