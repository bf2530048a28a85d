package translate

import (
	"testing"
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/durationpb"
)

// TestOverlayEntriesTranslate checks that overlay entries, added or
// replacing, compile and translate as built-in ones do, with every detail,
// and that the fallbacks and the built-in codes are untouched.
func TestOverlayEntriesTranslate(t *testing.T) {
	t.Parallel()
	ov := &errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999001, Reason: "TEST_RATE_EXCEEDED", Spec: &errbridgev1.ErrorSpec{
			GrpcCode: code.Code_RESOURCE_EXHAUSTED,
			Retry:    errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW,
			Quota: &errbridgev1.QuotaSpec{Subject: "app", Metric: "testCallsPerMinute", Limit: 10,
				Window: errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE, Description: "10 test calls per minute"},
			ZhCn: "测试限流。", EnUs: "Too many test calls.",
			HelpUrl: "https://example.com/help", HelpDescription: "Test help",
		}},
		{Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH, Code: 999002, Reason: "TEST_OAUTH_BUSY", Spec: &errbridgev1.ErrorSpec{
			GrpcCode: code.Code_UNAVAILABLE, Retry: errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY,
			RetryDelay: durationpb.New(3 * time.Second), ZhCn: "忙。", EnUs: "Busy.",
		}},
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 9003, Spec: &errbridgev1.ErrorSpec{
			GrpcCode: code.Code_FAILED_PRECONDITION, Retry: errbridgev1.RetryPolicy_RETRY_POLICY_NEVER,
			ZhCn: "会议已删除。", EnUs: "The meeting is gone.",
		}},
	}}
	cat, err := catalog.Default().WithOverlay(ov, "test.textproto")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(WithCatalog(cat), WithClock(func() time.Time { return time.Date(2026, 1, 1, 10, 0, 15, 0, chinaStandardTime) }))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		opts     *Options
		code     codes.Code
		reason   string
		message  string
		delay    time.Duration
		details  int
		zhCNText string
	}{
		{"added REST code", 400, `{"error_info":{"error_code":999001,"message":"slow down"}}`, nil,
			codes.ResourceExhausted, "TEST_RATE_EXCEEDED", "Too many test calls.", 45 * time.Second, 5, "测试限流。"},
		{"added OAuth code", 400, `{"code":999002,"message":"busy","nonce":"n1"}`, nil,
			codes.Unavailable, "TEST_OAUTH_BUSY", "Busy.", 3 * time.Second, 4, "忙。"},
		{"replaced code keeps its reason", 400, `{"error_info":{"error_code":9003}}`, nil,
			codes.FailedPrecondition, "MEETING_NOT_FOUND", "The meeting is gone.", 0, 2, "会议已删除。"},
		{"untouched built-in code", 400, `{"error_info":{"error_code":9008}}`, nil,
			codes.ResourceExhausted, "MEETING_CREATION_LIMIT_EXCEEDED", "", 45 * time.Second, 4, ""},
		{"unknown code", 503, `{"error_info":{"error_code":424242}}`, &Options{Idempotent: true},
			codes.Unavailable, "UNKNOWN_ERROR_CODE", "", time.Second, 3, ""},
		{"unparseable body", 500, `not json`, nil,
			codes.Internal, "UNPARSEABLE_BODY", "", 0, 2, ""},
		{"success", 200, `{"meeting_number":1}`, nil, codes.OK, "", "", 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tr.Translate(tc.status, []byte(tc.body), tc.opts)
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			if r.Code() != tc.code || r.Reason() != tc.reason {
				t.Errorf("got %v %q, want %v %q", r.Code(), r.Reason(), tc.code, tc.reason)
			}
			if tc.message != "" && r.Message() != tc.message {
				t.Errorf("message %q, want %q", r.Message(), tc.message)
			}
			if d, _ := r.RetryDelay(); d != tc.delay {
				t.Errorf("retry delay %v, want %v", d, tc.delay)
			}
			if n := len(r.Proto().GetDetails()); n != tc.details {
				t.Errorf("%d details, want %d", n, tc.details)
			}
			if tc.zhCNText != "" {
				zh := tr.Translate(tc.status, []byte(tc.body), &Options{Locale: "zh-CN"})
				if msg, _ := zh.LocalizedMessage(); msg != tc.zhCNText {
					t.Errorf("zh-CN text %q, want %q", msg, tc.zhCNText)
				}
			}
		})
	}
	// The added REST code carries its quota and help link.
	r := tr.Translate(400, []byte(`{"error_info":{"error_code":999001}}`), nil)
	var quota, help bool
	for _, a := range r.Proto().GetDetails() {
		m, err := a.UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		switch d := m.(type) {
		case *errdetails.QuotaFailure:
			quota = d.GetViolations()[0].GetQuotaMetric() == "testCallsPerMinute"
		case *errdetails.Help:
			help = d.GetLinks()[0].GetUrl() == "https://example.com/help"
		}
	}
	if !quota || !help {
		t.Errorf("the added code's QuotaFailure (%v) or Help (%v) is missing", quota, help)
	}
	if e := r.Entry(); e.Value != nil || e.Source != errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY {
		t.Errorf("the added code's entry is %+v", e)
	}
}
