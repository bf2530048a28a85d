package service

import (
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/types/known/durationpb"
)

// responseBox holds a response and the messages it points to, so that
// building one costs a single allocation.
type responseBox struct {
	resp     errbridgev1.TranslateResponse
	rest     errbridgev1.TranslateResponse_RestCode
	oauth    errbridgev1.TranslateResponse_OauthCode
	fallback errbridgev1.TranslateResponse_FallbackReason
	delay    durationpb.Duration
}

// NewTranslateResponse builds the TranslateResponse of a translation. The
// response's status is r.Proto() itself, not a copy: r must not be reused.
func NewTranslateResponse(r *translate.Result) *errbridgev1.TranslateResponse {
	b := new(responseBox)
	fillResponse(b, r)
	return &b.resp
}

// fillResponse fills b.resp from r; b must be zero.
func fillResponse(b *responseBox, r *translate.Result) {
	resp := &b.resp
	resp.Status = r.Proto()
	resp.Code = code.Code(r.Code())
	resp.Family = r.Family()
	if e := r.Entry(); e != nil {
		resp.Reason = e.Reason
		if e.Reason != "" {
			resp.Domain = r.Domain() // the ErrorInfo domain: errors only
		}
		switch e.Family {
		case errbridgev1.ApiFamily_API_FAMILY_REST:
			b.rest.RestCode = errbridgev1.RestErrorCode(e.Code)
			resp.Entry = &b.rest
		case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
			b.oauth.OauthCode = errbridgev1.OauthErrorCode(e.Code)
			resp.Entry = &b.oauth
		case errbridgev1.ApiFamily_API_FAMILY_FALLBACK:
			b.fallback.FallbackReason = errbridgev1.FallbackReason(e.Code)
			resp.Entry = &b.fallback
		}
	}
	if n, ok := r.ErrorCode(); ok {
		resp.ErrorCode = n
	}
	if n, ok := r.NewErrorCode(); ok {
		resp.NewErrorCode = n
	}
	if d, ok := r.RetryDelay(); ok {
		resp.Retryable = true
		b.delay.Seconds = int64(d / 1e9)
		b.delay.Nanos = int32(d % 1e9)
		resp.RetryDelay = &b.delay
	}
	resp.LocalizedMessage, resp.Locale = r.LocalizedMessage()
}
