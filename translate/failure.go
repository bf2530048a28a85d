package translate

import (
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// TranslateFailure builds the Status of a request that got no usable
// response at all: reason is one of the catalogue's fallback reasons for a
// failed upstream (such as
// [errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE]), and
// httpStatus the status the caller answers with in its place (502 or 504 for
// a gateway), recorded as ErrorInfo metadata "httpStatus". The retry policy
// of the reason applies as for any response; set opts.Idempotent when the
// request provably never reached the upstream, which makes a retry safe
// whatever its method.
//
// A reason that is not a fallback reason (or the unspecified one) is
// reported as UNKNOWN_ERROR_CODE, so the result is always an error. It never
// panics and never returns nil.
func (t *Translator) TranslateFailure(reason errbridgev1.FallbackReason, httpStatus int, opts *Options) *Result {
	if opts == nil {
		opts = &noOptions
	}
	c := t.families[errbridgev1.ApiFamily_API_FAMILY_FALLBACK][int64(reason)]
	if c == nil || c.entry.IsSuccess() {
		c = t.unknown
	}
	r := &Result{domain: t.domain, family: errbridgev1.ApiFamily_API_FAMILY_FALLBACK, entry: c.entry}
	r.st.Code = int32(codeFor(c, httpStatus))
	r.st.Message = c.entry.Spec.GetEnUs()
	var b body
	t.buildDetails(nil, r, c, &b, &facts{}, httpStatus, opts)
	return r
}
