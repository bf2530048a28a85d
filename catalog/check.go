package catalog

import (
	"errors"
	"net/url"
	"unicode/utf8"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// check reports the first way in which an entry's spec is incomplete or
// inconsistent.
func check(e *Entry) error {
	s := e.Spec
	switch {
	case s.GetZhCn() == "" || s.GetEnUs() == "":
		return errors.New("zh_cn and en_us texts are both required")
	case !utf8.ValidString(s.GetZhCn()) || !utf8.ValidString(s.GetEnUs()):
		return errors.New("texts must be valid UTF-8")
	case s.GetRetry() == errbridgev1.RetryPolicy_RETRY_POLICY_UNSPECIFIED:
		return errors.New("retry policy is required")
	case len(e.Reason) > 63 || (!e.IsSuccess() && !reasonPattern.MatchString(e.Reason)):
		return errors.New("reason must match [A-Z][A-Z0-9_]+[A-Z0-9] and be at most 63 characters")
	}
	if e.IsSuccess() {
		if s.GetGrpcCode() != code.Code_OK || s.GetCodeFromHttpStatus() || s.GetRetry() != errbridgev1.RetryPolicy_RETRY_POLICY_NEVER {
			return errors.New("a success value must map to OK and never retry")
		}
		return nil
	}
	if !s.GetCodeFromHttpStatus() && (s.GetGrpcCode() == code.Code_OK || s.GetGrpcCode() > code.Code_UNAUTHENTICATED) {
		return errors.New("an error needs a gRPC code from 1 to 16")
	}
	delay := s.GetRetryDelay().AsDuration()
	switch s.GetRetry() {
	case errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY, errbridgev1.RetryPolicy_RETRY_POLICY_IF_IDEMPOTENT:
		if delay <= 0 || !s.GetRetryDelay().IsValid() {
			return errors.New("this retry policy needs a positive retry_delay")
		}
	case errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW:
		switch s.GetQuota().GetWindow() {
		case errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE, errbridgev1.QuotaWindow_QUOTA_WINDOW_HOUR, errbridgev1.QuotaWindow_QUOTA_WINDOW_DAY:
		default:
			return errors.New("RETRY_POLICY_NEXT_WINDOW needs a quota window of a minute, hour or day")
		}
		fallthrough
	default:
		if s.GetRetryDelay() != nil {
			return errors.New("retry_delay is only for FIXED_DELAY and IF_IDEMPOTENT")
		}
	}
	isQuota := s.GetGrpcCode() == code.Code_RESOURCE_EXHAUSTED && !s.GetCodeFromHttpStatus()
	if isQuota != (s.GetQuota() != nil) {
		return errors.New("quota is set exactly for RESOURCE_EXHAUSTED codes")
	}
	if q := s.GetQuota(); q != nil && (q.GetSubject() == "" || q.GetMetric() == "" || q.GetDescription() == "") {
		return errors.New("quota needs subject, metric and description")
	}
	if (s.GetHelpUrl() == "") != (s.GetHelpDescription() == "") {
		return errors.New("help_url and help_description go together")
	}
	if u := s.GetHelpUrl(); u != "" {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host == "" {
			return errors.New("help_url must be an absolute https URL")
		}
	}
	return nil
}
