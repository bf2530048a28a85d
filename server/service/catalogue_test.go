package service_test

import (
	"strings"
	"testing"
	"unicode"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// newService returns a service over the default translator.
func newService(t *testing.T) *service.Service {
	t.Helper()
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestGetErrorCodeNeedsCodeOrReason: asking for nothing, or for code 0 (a
// success, not an error code), is INVALID_ARGUMENT with a field violation.
func TestGetErrorCodeNeedsCodeOrReason(t *testing.T) {
	t.Parallel()
	svc := newService(t)
	for _, tc := range []struct {
		name string
		req  *errbridgev1.GetErrorCodeRequest
	}{
		{"empty request", &errbridgev1.GetErrorCodeRequest{}},
		{"nil request", nil},
		{"REST code 0", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_REST}},
		{"OAuth code 0", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH}},
		{"fallback 0, never reported", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_FALLBACK}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := svc.GetErrorCode(t.Context(), tc.req)
			if err == nil {
				t.Fatalf("got %v, want INVALID_ARGUMENT", resp)
			}
			vs := violations(t, err)
			if len(vs) != 1 || vs[0].GetField() != "code" || vs[0].GetReason() != service.ViolationCodeOrReasonRequired {
				t.Errorf("violations %v, want one %s on code", vs, service.ViolationCodeOrReasonRequired)
			}
		})
	}
}

// TestGetErrorCodeUnknownReasonIsPrintable: an unknown reason comes back in
// ResourceInfo.resource_name without control characters, bounded.
func TestGetErrorCodeUnknownReasonIsPrintable(t *testing.T) {
	t.Parallel()
	svc := newService(t)
	for _, tc := range []struct {
		name   string
		reason string
		want   string
	}{
		{"control characters", "NO\r\nSUCH\x00REASON\x1b[0m", "reason/NOSUCHREASON[0m"},
		{"format characters", "NO\u202eSUCH\u200b", "reason/NOSUCH"},
		{"long", strings.Repeat("A", 200), "reason/" + strings.Repeat("A", 61) + "…"},
		{"long with controls", strings.Repeat("\x00B", 200), "reason/" + strings.Repeat("B", 61) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := svc.GetErrorCode(t.Context(), &errbridgev1.GetErrorCodeRequest{Reason: tc.reason})
			st := status.Convert(err)
			if st.Code() != codes.NotFound {
				t.Fatalf("%v: want NOT_FOUND", err)
			}
			var info *errdetails.ResourceInfo
			for _, d := range st.Details() {
				if ri, ok := d.(*errdetails.ResourceInfo); ok {
					info = ri
				}
			}
			if info.GetResourceName() != tc.want {
				t.Errorf("resource_name %q, want %q", info.GetResourceName(), tc.want)
			}
			for _, s := range []string{info.GetResourceName(), info.GetDescription(), st.Message()} {
				if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
					t.Errorf("%q holds a character that is not printable", s)
				}
			}
		})
	}
}

// TestListErrorCodesLeavesOutCodeZero: the code-0 values are not error
// codes, and no filter lists them.
func TestListErrorCodesLeavesOutCodeZero(t *testing.T) {
	t.Parallel()
	svc := newService(t)
	errorsInCatalogue := 0
	for _, e := range svc.Translator().Catalog().Entries() {
		if !e.IsSuccess() {
			errorsInCatalogue++
		}
	}
	resp, err := svc.ListErrorCodes(t.Context(), &errbridgev1.ListErrorCodesRequest{PageSize: service.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if int(resp.GetTotalSize()) != errorsInCatalogue || len(resp.GetErrorCodes()) != errorsInCatalogue {
		t.Errorf("listed %d of total %d, want every one of the %d error codes", len(resp.GetErrorCodes()), resp.GetTotalSize(), errorsInCatalogue)
	}
	for _, ec := range resp.GetErrorCodes() {
		if ec.GetCode() == 0 || ec.GetReason() == "" || ec.GetSpec().GetGrpcCode() == code.Code_OK && !ec.GetSpec().GetCodeFromHttpStatus() {
			t.Errorf("listed %s, a code-0 value", ec.GetName())
		}
	}
	ok := code.Code_OK
	resp, err = svc.ListErrorCodes(t.Context(), &errbridgev1.ListErrorCodesRequest{GrpcCode: &ok})
	if err != nil || resp.GetTotalSize() != 0 || len(resp.GetErrorCodes()) != 0 {
		t.Errorf("grpc_code OK: %v, %v; want an empty list", resp, err)
	}
}

// TestLocaleMustBeBCP47: a tag that is not BCP-47 is refused with a field
// violation that says so.
func TestLocaleMustBeBCP47(t *testing.T) {
	t.Parallel()
	for _, tag := range []string{"12345678", "xx", "en US", "zh--CN", "-"} {
		err := service.ValidateTranslateRequest(&errbridgev1.TranslateRequest{HttpStatus: 400, Locale: tag}, service.DefaultLimits())
		if err == nil {
			t.Errorf("locale %q accepted", tag)
			continue
		}
		vs := violations(t, err)
		if len(vs) != 1 || vs[0].GetField() != "locale" || vs[0].GetReason() != service.ViolationLocaleMalformed ||
			!strings.Contains(vs[0].GetDescription(), "BCP-47") {
			t.Errorf("locale %q: violations %v, want one %s on locale naming BCP-47", tag, vs, service.ViolationLocaleMalformed)
		}
	}
	for _, tag := range []string{"zh-CN", "en-US", "zh_CN", "zh-Hant-TW", "fr", "cmn"} {
		if err := service.ValidateTranslateRequest(&errbridgev1.TranslateRequest{HttpStatus: 400, Locale: tag}, service.DefaultLimits()); err != nil {
			t.Errorf("locale %q refused: %v", tag, err)
		}
	}
}
