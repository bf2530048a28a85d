package catalog

import (
	"net/url"
	"unicode/utf8"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// FieldError is why an entry failed the catalogue's checks: the field at
// fault, named as in the ErrorSpec message ("retry_delay", "quota.window"),
// or "reason" for the entry's reason.
type FieldError struct {
	Field string
	Msg   string
}

// Error implements error.
func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, msg string) error { return &FieldError{Field: field, Msg: msg} }

// check reports the first way in which an entry's spec is incomplete or
// inconsistent, as a [*FieldError]. Built-in entries and overlay entries pass
// exactly this check.
func check(e *Entry) error {
	s := e.Spec
	switch {
	case s.GetZhCn() == "":
		return fieldErr("zh_cn", "zh_cn and en_us texts are both required")
	case s.GetEnUs() == "":
		return fieldErr("en_us", "zh_cn and en_us texts are both required")
	case !utf8.ValidString(s.GetZhCn()):
		return fieldErr("zh_cn", "texts must be valid UTF-8")
	case !utf8.ValidString(s.GetEnUs()):
		return fieldErr("en_us", "texts must be valid UTF-8")
	case s.GetRetry() == errbridgev1.RetryPolicy_RETRY_POLICY_UNSPECIFIED:
		return fieldErr("retry", "retry policy is required")
	case len(e.Reason) > 63 || (!e.IsSuccess() && !reasonPattern.MatchString(e.Reason)):
		return fieldErr("reason", "reason must match [A-Z][A-Z0-9_]+[A-Z0-9] and be at most 63 characters")
	}
	if e.IsSuccess() {
		if s.GetGrpcCode() != code.Code_OK || s.GetCodeFromHttpStatus() || s.GetRetry() != errbridgev1.RetryPolicy_RETRY_POLICY_NEVER {
			return fieldErr("grpc_code", "a success value must map to OK and never retry")
		}
		return nil
	}
	if !s.GetCodeFromHttpStatus() && (s.GetGrpcCode() == code.Code_OK || s.GetGrpcCode() > code.Code_UNAUTHENTICATED) {
		return fieldErr("grpc_code", "an error needs a gRPC code from 1 to 16")
	}
	delay := s.GetRetryDelay().AsDuration()
	switch s.GetRetry() {
	case errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY, errbridgev1.RetryPolicy_RETRY_POLICY_IF_IDEMPOTENT:
		if delay <= 0 || !s.GetRetryDelay().IsValid() {
			return fieldErr("retry_delay", "this retry policy needs a positive retry_delay")
		}
	case errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW:
		switch s.GetQuota().GetWindow() {
		case errbridgev1.QuotaWindow_QUOTA_WINDOW_MINUTE, errbridgev1.QuotaWindow_QUOTA_WINDOW_HOUR, errbridgev1.QuotaWindow_QUOTA_WINDOW_DAY:
		default:
			return fieldErr("quota.window", "RETRY_POLICY_NEXT_WINDOW needs a quota window of a minute, hour or day")
		}
		fallthrough
	default:
		if s.GetRetryDelay() != nil {
			return fieldErr("retry_delay", "retry_delay is only for FIXED_DELAY and IF_IDEMPOTENT")
		}
	}
	isQuota := s.GetGrpcCode() == code.Code_RESOURCE_EXHAUSTED && !s.GetCodeFromHttpStatus()
	if isQuota != (s.GetQuota() != nil) {
		return fieldErr("quota", "quota is set exactly for RESOURCE_EXHAUSTED codes")
	}
	if q := s.GetQuota(); q != nil {
		switch {
		case q.GetSubject() == "":
			return fieldErr("quota.subject", "quota needs subject, metric and description")
		case q.GetMetric() == "":
			return fieldErr("quota.metric", "quota needs subject, metric and description")
		case q.GetDescription() == "":
			return fieldErr("quota.description", "quota needs subject, metric and description")
		}
	}
	if (s.GetHelpUrl() == "") != (s.GetHelpDescription() == "") {
		field := "help_url"
		if s.GetHelpDescription() == "" {
			field = "help_description"
		}
		return fieldErr(field, "help_url and help_description go together")
	}
	if u := s.GetHelpUrl(); u != "" {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host == "" {
			return fieldErr("help_url", "help_url must be an absolute https URL")
		}
	}
	return nil
}
