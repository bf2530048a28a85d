package catalog

import (
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/types/known/durationpb"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

func TestLoadAcceptsTheCompiledCatalogue(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every value of every catalogue enum becomes exactly one entry.
	want := 0
	for _, f := range families {
		want += f.enum.Values().Len()
	}
	if got := len(c.Entries()); got != want {
		t.Fatalf("Entries() has %d entries, the enums have %d values", got, want)
	}
	for _, e := range c.Entries() {
		got, ok := c.Lookup(e.Family, e.Code)
		if !ok || got != e {
			t.Errorf("Lookup(%v, %d) does not return %s", e.Family, e.Code, e.Name)
		}
		if e.IsSuccess() {
			continue
		}
		if got, ok := c.LookupReason(e.Reason); !ok || got != e {
			t.Errorf("LookupReason(%q) does not return %s", e.Reason, e.Name)
		}
	}
}

func TestEnumPrefix(t *testing.T) {
	want := map[errbridgev1.ApiFamily]string{
		errbridgev1.ApiFamily_API_FAMILY_REST:     "REST_ERROR_CODE_",
		errbridgev1.ApiFamily_API_FAMILY_OAUTH:    "OAUTH_ERROR_CODE_",
		errbridgev1.ApiFamily_API_FAMILY_FALLBACK: "FALLBACK_REASON_",
	}
	for _, f := range families {
		if got := enumPrefix(f.enum); got != want[f.family] {
			t.Errorf("enumPrefix(%s) = %q, want %q", f.enum.FullName(), got, want[f.family])
		}
	}
}

func TestCheckRejectsMalformedSpecs(t *testing.T) {
	valid := func() *errbridgev1.ErrorSpec {
		return &errbridgev1.ErrorSpec{
			GrpcCode: code.Code_NOT_FOUND,
			Retry:    errbridgev1.RetryPolicy_RETRY_POLICY_NEVER,
			ZhCn:     "会议不存在。",
			EnUs:     "The meeting does not exist.",
		}
	}
	for _, tc := range []struct {
		name   string
		reason string
		mutate func(*errbridgev1.ErrorSpec)
	}{
		{"no zh text", "X_Y", func(s *errbridgev1.ErrorSpec) { s.ZhCn = "" }},
		{"no en text", "X_Y", func(s *errbridgev1.ErrorSpec) { s.EnUs = "" }},
		{"invalid utf-8", "X_Y", func(s *errbridgev1.ErrorSpec) { s.EnUs = "\xff" }},
		{"no retry policy", "X_Y", func(s *errbridgev1.ErrorSpec) { s.Retry = 0 }},
		{"lower-case reason", "x_y", func(*errbridgev1.ErrorSpec) {}},
		{"error mapped to OK", "X_Y", func(s *errbridgev1.ErrorSpec) { s.GrpcCode = code.Code_OK }},
		{"fixed delay without delay", "X_Y", func(s *errbridgev1.ErrorSpec) { s.Retry = errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY }},
		{"delay without policy", "X_Y", func(s *errbridgev1.ErrorSpec) { s.RetryDelay = durationpb.New(time.Second) }},
		{"next window without window", "X_Y", func(s *errbridgev1.ErrorSpec) {
			s.GrpcCode = code.Code_RESOURCE_EXHAUSTED
			s.Retry = errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW
			s.Quota = &errbridgev1.QuotaSpec{Subject: "app", Metric: "m", Description: "d"}
		}},
		{"quota code without quota", "X_Y", func(s *errbridgev1.ErrorSpec) { s.GrpcCode = code.Code_RESOURCE_EXHAUSTED }},
		{"quota on another code", "X_Y", func(s *errbridgev1.ErrorSpec) {
			s.Quota = &errbridgev1.QuotaSpec{Subject: "app", Metric: "m", Description: "d"}
		}},
		{"help url without description", "X_Y", func(s *errbridgev1.ErrorSpec) { s.HelpUrl = "https://example.com" }},
		{"help url not https", "X_Y", func(s *errbridgev1.ErrorSpec) {
			s.HelpUrl, s.HelpDescription = "ftp://example.com", "d"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := valid()
			if err := check(&Entry{Code: 1, Reason: "X_Y", Spec: s}); err != nil {
				t.Fatalf("the valid spec is rejected: %v", err)
			}
			tc.mutate(s)
			if err := check(&Entry{Code: 1, Reason: tc.reason, Spec: s}); err == nil {
				t.Error("check accepted the malformed spec")
			}
		})
	}
}
