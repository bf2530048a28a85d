package translate

import (
	"encoding/json"
	"strconv"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// typicalBody is a real-shaped ~300-byte REST error: the envelope with
// new_error_code and a long mixed Chinese/English message.
const typicalBody = `{"error_info":{"error_code":190303,"new_error_code":200190303,"message":"鉴权失败:请检查请求头公共参数里字段AppId和X-TC-Key内容是否正确。字段SdkId如未分配不要携带。(JWT auth failed: check the AppId and X-TC-Key headers; omit SdkId)"}}`

var benchCases = []struct {
	name   string
	status int
	body   string
	opts   *Options
}{
	{"known_code", 400, typicalBody, nil},
	{"rate_limit_with_trace", 400, `{"error_info":{"error_code":190310,"new_error_code":200190310,"message":"每分钟总接口调用次数超过限制。"}}`, &Options{Locale: "zh-CN", Headers: map[string]string{"X-TC-Trace": "4f5c2d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f"}}},
	{"oauth_code", 400, `{"code":1005,"message":"access_token expired","nonce":"b1c2d3e4f5a6"}`, nil},
	{"unknown_code", 400, `{"error_info":{"error_code":88888,"message":"新的错误"}}`, nil},
	{"truncated_body", 500, `{"error_info":{"error_code":9003,"message":"MEETING NO`, nil},
	{"html_gateway", 502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, &Options{Method: "GET"}},
	{"empty_body", 500, ``, nil},
}

// BenchmarkTranslate measures the engine on typical and malformed bodies.
func BenchmarkTranslate(b *testing.B) {
	tr := Default()
	for _, bc := range benchCases {
		body := []byte(bc.body)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				r := tr.Translate(bc.status, body, bc.opts)
				if r.Code() == codes.OK {
					b.Fatal("unexpected OK")
				}
			}
		})
	}
}

// BenchmarkTranslateStatus adds grpc-go's *status.Status, which copies the
// Status (status.FromProto clones its argument).
func BenchmarkTranslateStatus(b *testing.B) {
	tr := Default()
	body := []byte(typicalBody)
	b.ReportAllocs()
	for b.Loop() {
		if tr.Translate(400, body, nil).Status().Code() == codes.OK {
			b.Fatal("unexpected OK")
		}
	}
}

// naiveBody is how most hand-written translators read the body.
type naiveBody struct {
	ErrorInfo *struct {
		ErrorCode    json.Number `json:"error_code"`
		NewErrorCode json.Number `json:"new_error_code"`
		Message      string      `json:"message"`
	} `json:"error_info"`
}

// naiveTranslate is the baseline: encoding/json into a struct, a lookup, and
// status.New(...).WithDetails(...), producing the same two details as the
// engine does for typicalBody.
func naiveTranslate(httpStatus int, body []byte) *status.Status {
	var nb naiveBody
	if err := json.Unmarshal(body, &nb); err != nil || nb.ErrorInfo == nil {
		return status.New(codes.Unknown, "unparseable")
	}
	code, _ := nb.ErrorInfo.ErrorCode.Int64()
	e, ok := Default().Catalog().Lookup(1, code)
	if !ok {
		return status.New(codes.Unknown, "unknown")
	}
	st := status.New(e.GRPCCode(), e.Spec.GetEnUs())
	md := map[string]string{
		"errorCode":       nb.ErrorInfo.ErrorCode.String(),
		"httpStatus":      strconv.Itoa(httpStatus),
		"upstreamMessage": nb.ErrorInfo.Message,
	}
	if nb.ErrorInfo.NewErrorCode != "" {
		md["newErrorCode"] = nb.ErrorInfo.NewErrorCode.String()
	}
	st, err := st.WithDetails(
		&errdetails.ErrorInfo{Reason: e.Reason, Domain: DefaultDomain, Metadata: md},
		&errdetails.LocalizedMessage{Locale: "en-US", Message: e.Spec.GetEnUs()},
	)
	if err != nil {
		panic(err)
	}
	return st
}

// BenchmarkNaive is the baseline on the typical body, measured beside
// BenchmarkTranslate/known_code in the same run.
func BenchmarkNaive(b *testing.B) {
	body := []byte(typicalBody)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if naiveTranslate(400, body).Code() == codes.OK {
			b.Fatal("unexpected OK")
		}
	}
}

// TestNaiveBaselineIsComparable keeps the baseline honest: on the typical
// body it yields the same code, reason and details as the engine.
func TestNaiveBaselineIsComparable(t *testing.T) {
	body := []byte(typicalBody)
	got := naiveTranslate(400, body)
	want := Default().Translate(400, body, nil)
	if got.Code() != want.Code() || len(got.Details()) != len(want.Proto().GetDetails()) {
		t.Fatalf("baseline: %v with %d details; engine: %v with %d", got.Code(), len(got.Details()), want.Code(), len(want.Proto().GetDetails()))
	}
	if info, ok := got.Details()[0].(*errdetails.ErrorInfo); !ok || info.GetReason() != want.Reason() {
		t.Fatalf("baseline reason %v, engine %q", got.Details()[0], want.Reason())
	}
	if len(typicalBody) < 250 || len(typicalBody) > 350 {
		t.Fatalf("typicalBody is %d bytes, want about 300", len(typicalBody))
	}
}
