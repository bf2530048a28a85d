package httpgw_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
)

// BenchmarkTranslateOverHTTP measures one Translate of a rate-limit body
// over each way in, on one loopback server: gRPC on the gRPC port, and
// Connect (binary and JSON), gRPC-Web and REST on the HTTP port. The
// difference to the gRPC row is what transcoding costs.
//
//	go test -run '^$' -bench TranslateOverHTTP -benchtime 3000x -count 5 ./server/httpgw
func BenchmarkTranslateOverHTTP(b *testing.B) {
	s := servertest.Start(b, server.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = s.Server.ServeGateway(lis) }()
	base := "http://" + lis.Addr().String()
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(rateLimitBody)}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	ctx := context.Background()

	grpcClient := errbridgev1.NewTranslatorServiceClient(s.Dial(b))
	connectClient := func(opts ...connect.ClientOption) func() error {
		c := connect.NewClient[errbridgev1.TranslateRequest, errbridgev1.TranslateResponse](
			hc, base+"/"+server.ServiceName+"/Translate", opts...)
		return func() error {
			_, err := c.CallUnary(ctx, connect.NewRequest(req))
			return err
		}
	}
	restBody := `{"httpStatus":400,"body":"` + b64(rateLimitBody) + `"}`
	for _, bc := range []struct {
		name string
		call func() error
	}{
		{"grpc", func() error { _, err := grpcClient.Translate(ctx, req); return err }},
		{"connect+proto", connectClient()},
		{"connect+json", connectClient(connect.WithProtoJSON())},
		{"grpc-web", connectClient(connect.WithGRPCWeb())},
		{"rest", func() error {
			r, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/translate", strings.NewReader(restBody))
			r.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(r)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.call(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
