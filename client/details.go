package client

import (
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// UpstreamCodeKey is the ErrorInfo metadata key of the upstream error code.
const UpstreamCodeKey = "errorCode"

// Details are the code, message and google.rpc details of one status. The
// zero value is an OK status without details.
type Details struct {
	Code             codes.Code
	Message          string
	ErrorInfo        *errdetails.ErrorInfo
	RetryInfo        *errdetails.RetryInfo
	QuotaFailure     *errdetails.QuotaFailure
	RequestInfo      *errdetails.RequestInfo
	Help             *errdetails.Help
	LocalizedMessage *errdetails.LocalizedMessage
	BadRequest       *errdetails.BadRequest
	ResourceInfo     *errdetails.ResourceInfo
}

// Parse reads the status of err: a status error from a gRPC call or from
// [Local], possibly wrapped. nil is OK; an error without a status is
// UNKNOWN with no details.
func Parse(err error) Details {
	if err == nil {
		return Details{}
	}
	st, _ := status.FromError(err)
	return ParseStatus(st)
}

// ParseStatus reads a grpc-go status; nil is OK.
func ParseStatus(st *status.Status) Details {
	if st == nil {
		return Details{}
	}
	return ParseProto(st.Proto())
}

// ParseProto reads a google.rpc.Status message, such as
// TranslateResponse.status; nil is OK. Details of unknown or undecodable
// types are skipped.
func ParseProto(p *spb.Status) Details {
	d := Details{Code: codes.Code(p.GetCode()), Message: p.GetMessage()}
	for _, a := range p.GetDetails() {
		m, err := a.UnmarshalNew()
		if err != nil {
			continue
		}
		switch v := m.(type) {
		case *errdetails.ErrorInfo:
			d.ErrorInfo = v
		case *errdetails.RetryInfo:
			d.RetryInfo = v
		case *errdetails.QuotaFailure:
			d.QuotaFailure = v
		case *errdetails.RequestInfo:
			d.RequestInfo = v
		case *errdetails.Help:
			d.Help = v
		case *errdetails.LocalizedMessage:
			d.LocalizedMessage = v
		case *errdetails.BadRequest:
			d.BadRequest = v
		case *errdetails.ResourceInfo:
			d.ResourceInfo = v
		}
	}
	return d
}

// Reason returns the ErrorInfo reason, e.g. "MEETING_NOT_FOUND", or "".
func (d Details) Reason() string { return d.ErrorInfo.GetReason() }

// Domain returns the ErrorInfo domain, or "".
func (d Details) Domain() string { return d.ErrorInfo.GetDomain() }

// UpstreamCode returns the upstream error code from the ErrorInfo metadata,
// when there is a numeric one.
func (d Details) UpstreamCode() (int64, bool) {
	v, ok := d.ErrorInfo.GetMetadata()[UpstreamCodeKey]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// RetryDelay returns the RetryInfo delay, and whether there is a RetryInfo.
func (d Details) RetryDelay() (time.Duration, bool) {
	if d.RetryInfo == nil {
		return 0, false
	}
	return d.RetryInfo.GetRetryDelay().AsDuration(), true
}

// ShouldRetry reports whether the failed request may be sent again: when
// the status carries a RetryInfo (after its delay), or when its code is
// UNAVAILABLE, the one code AIP-194 lets clients retry on their own.
func (d Details) ShouldRetry() bool {
	return d.RetryInfo != nil || d.Code == codes.Unavailable
}

// Localized returns the LocalizedMessage text and its locale, or empty
// strings.
func (d Details) Localized() (message, locale string) {
	return d.LocalizedMessage.GetMessage(), d.LocalizedMessage.GetLocale()
}
