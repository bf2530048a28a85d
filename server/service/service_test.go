package service_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// violations returns the field violations of a status error.
func violations(t *testing.T, err error) []*errdetails.BadRequest_FieldViolation {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("%v: want INVALID_ARGUMENT", err)
	}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			return br.GetFieldViolations()
		}
	}
	t.Fatalf("%v has no BadRequest", err)
	return nil
}

func TestValidateTranslateRequest(t *testing.T) {
	t.Parallel()
	limits := service.Limits{MaxBodyBytes: 16, MaxBatch: 2}
	for _, tc := range []struct {
		name   string
		req    *errbridgev1.TranslateRequest
		fields []string // nil: valid
	}{
		{"valid", &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{}`), Locale: "zh_CN", Method: "GET"}, nil},
		{"lowest status", &errbridgev1.TranslateRequest{HttpStatus: 100}, nil},
		{"highest status", &errbridgev1.TranslateRequest{HttpStatus: 599}, nil},
		{"nil request", nil, []string{"http_status"}},
		{"everything wrong", &errbridgev1.TranslateRequest{
			HttpStatus: 700, Body: make([]byte, 17), Locale: "-", Family: errbridgev1.ApiFamily_API_FAMILY_FALLBACK,
			Method: strings.Repeat("M", 40), Headers: map[string]string{"": "x"},
		}, []string{"http_status", "body", "locale", "family", "method", "headers"}},
		{"bad headers in name order", &errbridgev1.TranslateRequest{HttpStatus: 400, Headers: map[string]string{
			"B-Key": strings.Repeat("b", service.MaxHeaderValueBytes+1),
			"A-Key": strings.Repeat("a", service.MaxHeaderValueBytes+1),
			"C-Key": "fine",
		}}, []string{"headers", "headers"}},
		{"strings that are not UTF-8", &errbridgev1.TranslateRequest{HttpStatus: 400, Method: "G\xffT", Locale: "zh-\xffN",
			Headers: map[string]string{"X-TC-Trace": "\xfe\xff", "N\xc3": "v", "Fine": "ok"},
		}, []string{"locale", "method", "headers", "headers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := service.ValidateTranslateRequest(tc.req, limits)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("valid request rejected: %v", err)
				}
				return
			}
			vs := violations(t, err)
			var got []string
			for _, v := range vs {
				got = append(got, v.GetField())
				if v.GetReason() == "" || v.GetDescription() == "" {
					t.Errorf("violation %v lacks a reason or description", v)
				}
				if strings.Contains(v.GetDescription(), "aaaa") || strings.Contains(v.GetDescription(), "bbbb") {
					t.Errorf("violation %v echoes a header value", v)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
			if tc.name == "bad headers in name order" && !strings.Contains(vs[0].GetDescription(), "A-Key") {
				t.Errorf("first header violation %v is not A-Key's", vs[0])
			}
			for _, v := range vs {
				if !utf8.ValidString(v.GetDescription()) {
					t.Errorf("violation %v: the description is not UTF-8", v)
				}
			}
		})
	}
}

func TestNewTranslateResponse(t *testing.T) {
	t.Parallel()
	tr, err := translate.New()
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Translate(500, []byte(`{"error_info":{"error_code":41,"new_error_code":100041}}`), &translate.Options{Method: "DELETE", Locale: "zh-CN"})
	resp := service.NewTranslateResponse(r)
	if resp.GetStatus() != r.Proto() {
		t.Error("the status is a copy, not the result's own")
	}
	if resp.GetRestCode() != errbridgev1.RestErrorCode_REST_ERROR_CODE_INTERNAL_NETWORK_ERROR || resp.GetErrorCode() != 41 ||
		resp.GetNewErrorCode() != 100041 || !resp.GetRetryable() || resp.GetRetryDelay().AsDuration().Seconds() != 1 ||
		resp.GetLocale() != "zh-CN" || resp.GetReason() != "INTERNAL_NETWORK_ERROR" || resp.GetDomain() != tr.Domain() {
		t.Errorf("response %v does not match the result", resp)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  service.Option
	}{
		{"zero body", service.WithMaxBodyBytes(0)},
		{"negative batch", service.WithMaxBatch(-1)},
		{"nil", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := service.New(nil, tc.opt); err == nil {
				t.Error("service.New accepted the option")
			}
		})
	}
}

func TestTranslateBatchStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	req := &errbridgev1.TranslateBatchRequest{}
	for range 200 {
		req.Requests = append(req.Requests, &errbridgev1.TranslateRequest{HttpStatus: 400})
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := svc.TranslateBatch(ctx, req); status.Code(err) != codes.Canceled {
		t.Errorf("TranslateBatch with a cancelled context: %v, want CANCELLED", err)
	}
}

func TestGetErrorCodeRejectsReasonThatIsNotUTF8(t *testing.T) {
	t.Parallel()
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.GetErrorCode(t.Context(), &errbridgev1.GetErrorCodeRequest{Reason: "RATE\xff"})
	vs := violations(t, err)
	if len(vs) != 1 || vs[0].GetField() != "reason" || vs[0].GetReason() != service.ViolationNotUTF8 {
		t.Errorf("violations %v, want one NOT_UTF8 on reason", vs)
	}
}
