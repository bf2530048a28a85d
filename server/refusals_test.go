package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// refusalLines returns the "refused call" lines of JSON logs.
func refusalLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if line == "" || json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		if m["msg"] == "refused call" {
			out = append(out, m)
		}
	}
	return out
}

// TestCallsFailingBeforeTheirHandlerAreCountedAndLogged sends each kind of
// call that fails before its handler runs — a message over the receive
// limit, one that does not decode, no message at all, an unknown service, an
// unknown method, and a call refused for the memory budget — and checks
// its code (and the RetryInfo of the refusal), its series in
// errbridge_grpc_server_handled_total, and its line in the refusal log at
// info level, naming the reason.
func TestCallsFailingBeforeTheirHandlerAreCountedAndLogged(t *testing.T) {
	t.Parallel()
	const maxBody = 1024
	translate := errbridgev1.TranslatorService_Translate_FullMethodName
	for _, tc := range []struct {
		name             string
		call             func(ctx context.Context, conn *grpc.ClientConn, s *servertest.Server) error
		code             codes.Code
		service, method  string // the series' labels
		reason           string
		retryInfo        bool
		holdOneCallFirst bool // a held call keeps the budget from a second receive
		opts             []server.Option
	}{
		{
			name: "message over the receive limit",
			call: func(ctx context.Context, conn *grpc.ClientConn, s *servertest.Server) error {
				msg := make([]byte, s.MaxRecvMsgSize()+1)
				var out []byte
				return conn.Invoke(ctx, translate, &msg, &out, grpc.ForceCodecV2(servertest.RawCodec{}))
			},
			code: codes.ResourceExhausted, service: server.ServiceName, method: "Translate", reason: "message over the receive limit",
		},
		{
			name: "undecodable message",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				msg := []byte{0x0a, 0xff, 0xff} // field 1, a length running past the end
				var out []byte
				return conn.Invoke(ctx, translate, &msg, &out, grpc.ForceCodecV2(servertest.RawCodec{}))
			},
			code: codes.Internal, service: server.ServiceName, method: "Translate", reason: "request message not decodable",
		},
		{
			name: "no request message",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				st, err := conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true}, translate)
				if err != nil {
					return err
				}
				if err := st.CloseSend(); err != nil {
					return err
				}
				return st.RecvMsg(&errbridgev1.TranslateResponse{})
			},
			code: codes.Internal, service: server.ServiceName, method: "Translate", reason: "request message not decodable",
		},
		{
			name: "unknown service",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				return conn.Invoke(ctx, "/evil.v1.Nope/Probe", &errbridgev1.TranslateRequest{}, &errbridgev1.TranslateResponse{})
			},
			code: codes.Unimplemented, service: "unknown", method: "unknown", reason: "unknown service or method",
		},
		{
			name: "unknown method",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				return conn.Invoke(ctx, "/"+server.ServiceName+"/Probe", &errbridgev1.TranslateRequest{}, &errbridgev1.TranslateResponse{})
			},
			code: codes.Unimplemented, service: server.ServiceName, method: "unknown", reason: "unknown service or method",
		},
		{
			name: "over the memory budget",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				_, err := errbridgev1.NewTranslatorServiceClient(conn).Translate(ctx, healthyRequest())
				return err
			},
			code: codes.ResourceExhausted, service: server.ServiceName, method: "Translate", reason: "over the memory budget",
			retryInfo: true, holdOneCallFirst: true,
		},
		{
			name: "request message not received in time",
			call: func(ctx context.Context, conn *grpc.ClientConn, _ *servertest.Server) error {
				// The call's headers go out, its message never does.
				st, err := conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true}, translate)
				if err != nil {
					return err
				}
				return st.RecvMsg(&errbridgev1.TranslateResponse{})
			},
			code: codes.DeadlineExceeded, service: server.ServiceName, method: "Translate", reason: "request message not received within the receive timeout",
			opts: []server.Option{server.WithReceiveTimeout(200 * time.Millisecond)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs servertest.Buffer
			reg := prometheus.NewRegistry()
			opts := []server.Option{
				server.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))),
				server.WithMetricsRegistry(reg),
				server.WithMaxBodyBytes(maxBody),
				server.WithMaxBatch(4),
			}
			opts = append(opts, tc.opts...)
			h := newHolder()
			opts = append(opts, server.WithUnaryInterceptors(h.unary))
			t.Cleanup(h.releaseAll)
			if tc.holdOneCallFirst {
				// A budget of exactly one receive reservation: a held call
				// keeps a few KiB of it, so no other call can receive.
				opts = append(opts, server.WithMemoryBudget(2*int64(server.MaxRecvMsgSize(maxBody, 4, server.DefaultMaxBatchBytes))))
			}
			s := servertest.Start(t, opts...)
			conn := s.Dial(t)
			if tc.holdOneCallFirst {
				errs := runCalls(1, func(int) error { return translateOK(holdCtx(callCtx(t)), errbridgev1.NewTranslatorServiceClient(conn)) })
				waitFor(t, "a held call", func() bool { return h.held() == 1 })
				defer func() {
					h.releaseAll()
					if err := <-errs; err != nil {
						t.Errorf("the held call: %v", err)
					}
				}()
			}
			err := tc.call(callCtx(t), conn, s)
			st := status.Convert(err)
			if st.Code() != tc.code {
				t.Fatalf("code %v (%v), want %v", st.Code(), err, tc.code)
			}
			var retry *errdetails.RetryInfo
			for _, d := range st.Details() {
				if ri, ok := d.(*errdetails.RetryInfo); ok {
					retry = ri
				}
			}
			if tc.retryInfo != (retry != nil && retry.GetRetryDelay().AsDuration() > 0) {
				t.Errorf("RetryInfo %v, want one: %v", retry, tc.retryInfo)
			}
			// grpc-go may send the status of a call whose message failed
			// before the call's wrapper has counted and logged it.
			counted := func() float64 {
				return metricValue(t, reg, "errbridge_grpc_server_handled_total",
					"grpc_service", tc.service, "grpc_method", tc.method, "grpc_code", tc.code.String())
			}
			waitFor(t, "the call to be counted and logged", func() bool {
				return counted() >= 1 && len(refusalLines(t, logs.String())) >= 1
			})
			if got := counted(); got != 1 {
				t.Errorf("handled_total{grpc_service=%q,grpc_method=%q,grpc_code=%q} = %v, want 1", tc.service, tc.method, tc.code, got)
			}
			lines := refusalLines(t, logs.String())
			if len(lines) != 1 {
				t.Fatalf("%d refusal lines, want 1:\n%s", len(lines), logs.String())
			}
			if l := lines[0]; l["level"] != "INFO" || l["reason"] != tc.reason || l["grpc.code"] != tc.code.String() || l["peer.address"] == nil {
				t.Errorf("refusal line %v, want level INFO, reason %q, code %v and the peer", l, tc.reason, tc.code)
			}
			if tc.holdOneCallFirst {
				h.releaseAll()
			}
			assertHealthy(t, s.Addr)
		})
	}
}
