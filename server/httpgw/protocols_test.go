package httpgw_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
)

const callTimeout = 30 * time.Second

func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// rateLimitBody is an upstream rate-limit body, which gets a RetryInfo.
const rateLimitBody = `{"error_info":{"error_code":190310,"new_error_code":200190310,"message":"每分钟总接口调用次数超过限制"}}`

// methodCounter is a unary interceptor that counts calls by full method,
// to show that calls over HTTP go through the server's interceptors.
type methodCounter struct {
	mu    sync.Mutex
	calls map[string]int
}

func (m *methodCounter) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	m.mu.Lock()
	if m.calls == nil {
		m.calls = map[string]int{}
	}
	m.calls[info.FullMethod]++
	m.mu.Unlock()
	return handler(ctx, req)
}

func (m *methodCounter) count(method string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[method]
}

// protocols are the ways a caller reaches Translate on the HTTP port.
var protocols = []struct {
	name string
	call func(t *testing.T, base string, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error)
}{
	{"connect+json", connectCall(connect.WithProtoJSON())},
	{"connect+proto", connectCall()},
	{"grpc-web", connectCall(connect.WithGRPCWeb())},
	{"grpc over h2c", func(t *testing.T, base string, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
		conn := servertest.Dial(t, strings.TrimPrefix(base, "http://"))
		return errbridgev1.NewTranslatorServiceClient(conn).Translate(callCtx(t), req)
	}},
}

func connectCall(opts ...connect.ClientOption) func(*testing.T, string, *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	return func(t *testing.T, base string, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
		c := connect.NewClient[errbridgev1.TranslateRequest, errbridgev1.TranslateResponse](
			http.DefaultClient, base+"/"+server.ServiceName+"/Translate", opts...)
		resp, err := c.CallUnary(callCtx(t), connect.NewRequest(req))
		if err != nil {
			return nil, err
		}
		return resp.Msg, nil
	}
}

// TestEveryProtocolTranslatesAlike calls Translate over each protocol of
// the HTTP port and over the gRPC port, and expects the same response from
// all, each call counted by the server's interceptors.
func TestEveryProtocolTranslatesAlike(t *testing.T) {
	t.Parallel()
	var counter methodCounter
	s := servertest.Start(t, server.WithUnaryInterceptors(counter.unary))
	base := s.ServeGateway(t)
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`), Locale: "zh-CN"}
	want, err := errbridgev1.NewTranslatorServiceClient(s.Dial(t)).Translate(callCtx(t), req)
	if err != nil {
		t.Fatalf("Translate over gRPC: %v", err)
	}
	if want.GetReason() != "MEETING_NOT_FOUND" || want.GetLocalizedMessage() != "会议不存在。" {
		t.Fatalf("gRPC port: %v", want)
	}
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			got, err := p.call(t, base, req)
			if err != nil {
				t.Fatalf("Translate: %v", err)
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("response differs from the gRPC port's (-grpc +%s):\n%s", p.name, diff)
			}
		})
	}
	t.Cleanup(func() {
		if n := counter.count(errbridgev1.TranslatorService_Translate_FullMethodName); n != 1+len(protocols) {
			t.Errorf("the interceptors saw %d Translate calls, want %d", n, 1+len(protocols))
		}
	})
}

// TestEveryProtocolSharesTheLimits sends each protocol a body over the
// server's body limit and a batch over its batch limit, and expects
// INVALID_ARGUMENT naming the field, as on the gRPC port.
func TestEveryProtocolSharesTheLimits(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithMaxBodyBytes(64), server.WithMaxBatch(2))
	base := s.ServeGateway(t)
	big := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(strings.Repeat("x", 65))}
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.call(t, base, big)
			if got := violations(t, err); !cmp.Equal(got, []string{"body"}) {
				t.Errorf("violations %v, want [body]", got)
			}
		})
	}
	batch := connect.NewClient[errbridgev1.TranslateBatchRequest, errbridgev1.TranslateBatchResponse](
		http.DefaultClient, base+"/"+server.ServiceName+"/TranslateBatch", connect.WithProtoJSON())
	three := &errbridgev1.TranslateBatchRequest{Requests: make([]*errbridgev1.TranslateRequest, 3)}
	for i := range three.Requests {
		three.Requests[i] = &errbridgev1.TranslateRequest{HttpStatus: 500}
	}
	_, err := batch.CallUnary(callCtx(t), connect.NewRequest(three))
	if got := violations(t, err); !cmp.Equal(got, []string{"requests"}) {
		t.Errorf("batch of 3 over a limit of 2: violations %v, want [requests]", got)
	}
}

// TestMessageOverTheLimit sends a Connect call and a REST call larger than
// the handler's buffer limit and expects RESOURCE_EXHAUSTED (HTTP 429), as
// gRPC's receive limit gives, in each protocol's error form.
func TestMessageOverTheLimit(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithMaxBodyBytes(64), server.WithMaxBatch(1))
	base := s.ServeGateway(t)
	huge := `{"httpStatus":400,"body":"` + strings.Repeat("eHh4", 2*s.MaxRecvMsgSize()/3) + `"}`
	for _, tc := range []struct {
		name, path string
		code       func(body []byte) string
	}{
		{"connect", "/" + server.ServiceName + "/Translate", func(b []byte) string {
			var e struct{ Code string }
			_ = json.Unmarshal(b, &e)
			return e.Code
		}},
		{"rest", "/v1/translate", func(b []byte) string {
			var e aip
			if json.Unmarshal(b, &e) != nil || e.Error == nil {
				return ""
			}
			return e.Error.Status
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := fetch(t, "POST", base+tc.path, "application/json", huge)
			if got := tc.code(body); status != http.StatusTooManyRequests || !strings.EqualFold(got, "resource_exhausted") {
				t.Errorf("a %d-byte message: HTTP %d %s, want 429 and resource_exhausted", len(huge), status, body)
			}
		})
	}
	// The server still answers.
	if _, err := connectCall()(t, base, &errbridgev1.TranslateRequest{HttpStatus: 500}); err != nil {
		t.Errorf("Translate after the refusal: %v", err)
	}
}

// violations returns the fields of the BadRequest of a Connect or gRPC
// error, which must be INVALID_ARGUMENT.
func violations(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded, want INVALID_ARGUMENT")
	}
	var fields []string
	var ce *connect.Error
	switch {
	case errors.As(err, &ce):
		if ce.Code() != connect.CodeInvalidArgument {
			t.Fatalf("error %v, want invalid_argument", err)
		}
		for _, d := range ce.Details() {
			v, derr := d.Value()
			if br, ok := v.(*errdetails.BadRequest); derr == nil && ok {
				for _, fv := range br.GetFieldViolations() {
					fields = append(fields, fv.GetField())
				}
			}
		}
	default:
		st := statusOf(err)
		if st.GetCode() != int32(code.Code_INVALID_ARGUMENT) {
			t.Fatalf("error %v, want INVALID_ARGUMENT", err)
		}
		for _, d := range st.GetDetails() {
			var br errdetails.BadRequest
			if d.UnmarshalTo(&br) == nil {
				for _, fv := range br.GetFieldViolations() {
					fields = append(fields, fv.GetField())
				}
			}
		}
	}
	return fields
}

// statusOf is the google.rpc.Status of a gRPC error.
func statusOf(err error) *statuspb.Status { return status.Convert(err).Proto() }
