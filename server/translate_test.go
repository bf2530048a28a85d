package server_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func TestTranslate(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t))
	for _, tc := range []struct {
		name       string
		req        *errbridgev1.TranslateRequest
		code       code.Code
		reason     string
		family     errbridgev1.ApiFamily
		entry      proto.Message // the oneof wrapper, compared by value
		errorCode  int64
		retryDelay time.Duration // 0: not retryable
		locale     string
	}{
		{
			name:       "known REST code with retry",
			req:        &errbridgev1.TranslateRequest{HttpStatus: 500, Body: restBody("5108"), Method: "GET"},
			code:       code.Code_INTERNAL,
			reason:     "BACKEND_INTERNAL_ERROR",
			family:     errbridgev1.ApiFamily_API_FAMILY_REST,
			entry:      &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_RestCode{RestCode: errbridgev1.RestErrorCode_REST_ERROR_CODE_BACKEND_INTERNAL_ERROR}},
			errorCode:  5108,
			retryDelay: time.Second,
			locale:     "en-US",
		},
		{
			name:      "known REST code, not idempotent",
			req:       &errbridgev1.TranslateRequest{HttpStatus: 500, Body: restBody("5108"), Method: "POST"},
			code:      code.Code_INTERNAL,
			reason:    "BACKEND_INTERNAL_ERROR",
			family:    errbridgev1.ApiFamily_API_FAMILY_REST,
			entry:     &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_RestCode{RestCode: errbridgev1.RestErrorCode_REST_ERROR_CODE_BACKEND_INTERNAL_ERROR}},
			errorCode: 5108,
			locale:    "en-US",
		},
		{
			name:      "meeting not found in Chinese",
			req:       &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003"), Locale: "zh-CN"},
			code:      code.Code_NOT_FOUND,
			reason:    "MEETING_NOT_FOUND",
			family:    errbridgev1.ApiFamily_API_FAMILY_REST,
			entry:     &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_RestCode{RestCode: errbridgev1.RestErrorCode_REST_ERROR_CODE_MEETING_NOT_FOUND}},
			errorCode: 9003,
			locale:    "zh-CN",
		},
		{
			name:      "OAuth code",
			req:       &errbridgev1.TranslateRequest{HttpStatus: 401, Body: []byte(`{"code":1005,"message":"access_token expired","nonce":"n-1"}`)},
			code:      code.Code_UNAUTHENTICATED,
			reason:    "ACCESS_TOKEN_EXPIRED",
			family:    errbridgev1.ApiFamily_API_FAMILY_OAUTH,
			entry:     &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_OauthCode{OauthCode: errbridgev1.OauthErrorCode_OAUTH_ERROR_CODE_ACCESS_TOKEN_EXPIRED}},
			errorCode: 1005,
			locale:    "en-US",
		},
		{
			name:       "unknown code",
			req:        &errbridgev1.TranslateRequest{HttpStatus: 503, Body: restBody("777777"), Idempotent: true},
			code:       code.Code_UNAVAILABLE,
			reason:     "UNKNOWN_ERROR_CODE",
			family:     errbridgev1.ApiFamily_API_FAMILY_REST,
			entry:      &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_FallbackReason{FallbackReason: errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE}},
			errorCode:  777777,
			retryDelay: time.Second,
			locale:     "en-US",
		},
		{
			name:   "malformed body",
			req:    &errbridgev1.TranslateRequest{HttpStatus: 502, Body: []byte("<html>Bad Gateway</html>")},
			code:   code.Code_UNAVAILABLE,
			reason: "UNPARSEABLE_BODY",
			entry:  &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_FallbackReason{FallbackReason: errbridgev1.FallbackReason_FALLBACK_REASON_UNPARSEABLE_BODY}},
			locale: "en-US",
		},
		{
			name:  "success",
			req:   &errbridgev1.TranslateRequest{HttpStatus: 200, Body: []byte(`{"meeting_number":1}`)},
			code:  code.Code_OK,
			entry: &errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_RestCode{}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.Translate(callCtx(t), tc.req)
			if err != nil {
				t.Fatalf("Translate: %v", err)
			}
			if resp.GetCode() != tc.code || resp.GetStatus().GetCode() != int32(tc.code) {
				t.Errorf("code %v (status %d), want %v", resp.GetCode(), resp.GetStatus().GetCode(), tc.code)
			}
			if resp.GetReason() != tc.reason || resp.GetFamily() != tc.family {
				t.Errorf("reason %q family %v, want %q %v", resp.GetReason(), resp.GetFamily(), tc.reason, tc.family)
			}
			got := &errbridgev1.TranslateResponse{Entry: resp.GetEntry()}
			if !proto.Equal(got, tc.entry) {
				t.Errorf("entry %v, want %v", got, tc.entry)
			}
			if resp.GetErrorCode() != tc.errorCode {
				t.Errorf("error_code %d, want %d", resp.GetErrorCode(), tc.errorCode)
			}
			if resp.GetRetryable() != (tc.retryDelay > 0) || resp.GetRetryDelay().AsDuration() != tc.retryDelay {
				t.Errorf("retryable %v after %v, want after %v", resp.GetRetryable(), resp.GetRetryDelay().AsDuration(), tc.retryDelay)
			}
			if resp.GetLocale() != tc.locale {
				t.Errorf("locale %q, want %q", resp.GetLocale(), tc.locale)
			}
			// The status carries the same facts in its details.
			d := client.ParseProto(resp.GetStatus())
			if d.Reason() != tc.reason {
				t.Errorf("ErrorInfo reason %q, want %q", d.Reason(), tc.reason)
			}
			if tc.code == code.Code_OK {
				if len(resp.GetStatus().GetDetails()) != 0 || resp.GetDomain() != "" {
					t.Errorf("a success has details %v and domain %q", resp.GetStatus().GetDetails(), resp.GetDomain())
				}
				return
			}
			if d.Domain() != resp.GetDomain() || resp.GetDomain() == "" {
				t.Errorf("ErrorInfo domain %q, response domain %q", d.Domain(), resp.GetDomain())
			}
			if delay, ok := d.RetryDelay(); ok != (tc.retryDelay > 0) || delay != tc.retryDelay {
				t.Errorf("RetryInfo %v %v, want %v", delay, ok, tc.retryDelay)
			}
			if msg, locale := d.Localized(); msg != resp.GetLocalizedMessage() || locale != tc.locale || msg == "" {
				t.Errorf("LocalizedMessage %q %q, response %q %q", msg, locale, resp.GetLocalizedMessage(), resp.GetLocale())
			}
		})
	}
}

func TestTranslateRejectsInvalidRequests(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t, server.WithMaxBodyBytes(1024)))
	manyHeaders := make(map[string]string)
	for i := range service.MaxHeaders + 1 {
		manyHeaders["X-H"+strings.Repeat("x", i)] = "v"
	}
	for _, tc := range []struct {
		name  string
		req   *errbridgev1.TranslateRequest
		field string
	}{
		{"status below 100", &errbridgev1.TranslateRequest{HttpStatus: 42}, "http_status"},
		{"status above 599", &errbridgev1.TranslateRequest{HttpStatus: 600}, "http_status"},
		{"missing status", &errbridgev1.TranslateRequest{Body: restBody("9003")}, "http_status"},
		{"body over the limit", &errbridgev1.TranslateRequest{HttpStatus: 400, Body: make([]byte, 1025)}, "body"},
		{"malformed locale", &errbridgev1.TranslateRequest{HttpStatus: 400, Locale: "zh CN!"}, "locale"},
		{"locale that is not BCP-47", &errbridgev1.TranslateRequest{HttpStatus: 400, Locale: "12345678"}, "locale"},
		{"fallback family", &errbridgev1.TranslateRequest{HttpStatus: 400, Family: errbridgev1.ApiFamily_API_FAMILY_FALLBACK}, "family"},
		{"unknown family", &errbridgev1.TranslateRequest{HttpStatus: 400, Family: 42}, "family"},
		{"too many headers", &errbridgev1.TranslateRequest{HttpStatus: 400, Headers: manyHeaders}, "headers"},
		{"header name too long", &errbridgev1.TranslateRequest{HttpStatus: 400, Headers: map[string]string{strings.Repeat("n", 257): "v"}}, "headers"},
		{"header value too long", &errbridgev1.TranslateRequest{HttpStatus: 400, Headers: map[string]string{"X-TC-Key": strings.Repeat("v", 8193)}}, "headers"},
		{"method too long", &errbridgev1.TranslateRequest{HttpStatus: 400, Method: strings.Repeat("G", 33)}, "method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.Translate(callCtx(t), tc.req)
			if fields := violatedFields(t, err); fields[0] != tc.field {
				t.Errorf("violations %v, want %s first", fields, tc.field)
			}
		})
	}
}

func TestTranslateBatch(t *testing.T) {
	t.Parallel()
	c := stub(t, servertest.Start(t, server.WithMaxBatch(200)))

	t.Run("a bad item fails alone", func(t *testing.T) {
		t.Parallel()
		req := &errbridgev1.TranslateBatchRequest{}
		for i := range 100 {
			r := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")}
			if i == 50 {
				r.HttpStatus = 0
				r.Locale = "!"
			}
			req.Requests = append(req.Requests, r)
		}
		resp, err := c.TranslateBatch(callCtx(t), req)
		if err != nil {
			t.Fatalf("TranslateBatch: %v", err)
		}
		if len(resp.GetResults()) != 100 {
			t.Fatalf("%d results, want 100", len(resp.GetResults()))
		}
		for i, r := range resp.GetResults() {
			if i == 50 {
				fields := violatedFields(t, status.ErrorProto(r.GetError()))
				if want := []string{"requests[50].http_status", "requests[50].locale"}; strings.Join(fields, ",") != strings.Join(want, ",") {
					t.Errorf("item 50 violations %v, want %v", fields, want)
				}
				continue
			}
			if r.GetResponse().GetReason() != "MEETING_NOT_FOUND" {
				t.Errorf("item %d: %v, want MEETING_NOT_FOUND", i, r)
			}
		}
	})

	for _, tc := range []struct {
		name string
		n    int
	}{
		{"empty batch", 0},
		{"batch over the limit", 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := &errbridgev1.TranslateBatchRequest{}
			for range tc.n {
				req.Requests = append(req.Requests, &errbridgev1.TranslateRequest{HttpStatus: 400})
			}
			_, err := c.TranslateBatch(callCtx(t), req)
			if fields := violatedFields(t, err); fields[0] != "requests" {
				t.Errorf("violations %v, want requests", fields)
			}
		})
	}
}

func TestMessageLimits(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithMaxBodyBytes(1024), server.WithMaxBatch(4))
	c := stub(t, s)
	for _, tc := range []struct {
		name string
		body int
		code codes.Code
	}{
		{"body at the limit", 1024, codes.OK},
		{"body over the limit", 2048, codes.InvalidArgument},
		{"message over the receive limit", s.MaxRecvMsgSize() + 1, codes.ResourceExhausted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: make([]byte, tc.body)})
			if got := status.Code(err); got != tc.code {
				t.Fatalf("code %v (%v), want %v", got, err, tc.code)
			}
			if tc.code == codes.InvalidArgument {
				if fields := violatedFields(t, err); fields[0] != "body" {
					t.Errorf("violations %v, want body", fields)
				}
			}
		})
	}
}

// TestStreamWorkers serves calls with a goroutine per call, with one worker
// (most calls then get a goroutine of their own) and with the default, and
// refuses more workers than MaxStreamWorkers.
func TestStreamWorkers(t *testing.T) {
	t.Parallel()
	for _, n := range []uint32{0, 1, server.DefaultStreamWorkers} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			c := stub(t, servertest.Start(t, server.WithStreamWorkers(n)))
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			for range 20 {
				wg.Go(func() {
					resp, err := c.Translate(callCtx(t), healthyRequest())
					if err == nil {
						err = checkHealthyTranslation(resp)
					}
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	if _, err := server.New(server.WithStreamWorkers(server.MaxStreamWorkers + 1)); err == nil {
		t.Error("server.New accepted more workers than MaxStreamWorkers")
	}
}
