package translate

import (
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// maxDetails is how many details a Status can carry: ErrorInfo, RetryInfo,
// QuotaFailure, RequestInfo, Help and LocalizedMessage.
const maxDetails = 6

// Result is the translation of one response: the canonical Status and the
// facts it was built from, readable without decoding Any. A Result is
// immutable; it and the Status it holds are built in one allocation.
type Result struct {
	st   spb.Status
	anys [maxDetails]anypb.Any
	ptrs [maxDetails]*anypb.Any

	entry        *catalog.Entry
	family       errbridgev1.ApiFamily
	domain       string
	errorCode    int64
	newErrorCode int64
	hasCode      bool
	hasNewCode   bool
	retryable    bool
	retryDelay   time.Duration
	locale       locale
	localized    string

	buf [1280]byte // backing store of the details' encodings
}

// Proto returns the Status as a message. It is owned by the Result: read it,
// marshal it, or put it in a response, but do not modify it.
func (r *Result) Proto() *spb.Status { return &r.st }

// Status returns the Status as a grpc-go value (a copy).
func (r *Result) Status() *status.Status { return status.FromProto(&r.st) }

// Err returns the Status as an error, or nil for a success.
func (r *Result) Err() error {
	if r.st.GetCode() == 0 {
		return nil
	}
	return r.Status().Err()
}

// Code returns the gRPC code.
func (r *Result) Code() codes.Code { return codes.Code(r.st.GetCode()) }

// Message returns the Status message: stable English.
func (r *Result) Message() string { return r.st.GetMessage() }

// Entry returns the catalogue entry that matched: a REST or OAuth code, or a
// fallback reason. For a success it is the family's code-0 entry.
func (r *Result) Entry() *catalog.Entry { return r.entry }

// Reason returns the ErrorInfo reason, or "" for a success.
func (r *Result) Reason() string { return r.entry.Reason }

// Domain returns the ErrorInfo domain.
func (r *Result) Domain() string { return r.domain }

// Family returns the upstream API the body was read as, or unspecified when
// the body could not be read as either.
func (r *Result) Family() errbridgev1.ApiFamily { return r.family }

// ErrorCode returns the upstream error code, when the body held a numeric one.
func (r *Result) ErrorCode() (int64, bool) { return r.errorCode, r.hasCode }

// NewErrorCode returns the upstream new_error_code, when the body held a
// numeric one.
func (r *Result) NewErrorCode() (int64, bool) { return r.newErrorCode, r.hasNewCode }

// RetryDelay returns the RetryInfo delay, and whether the request may be
// retried at all.
func (r *Result) RetryDelay() (time.Duration, bool) { return r.retryDelay, r.retryable }

// LocalizedMessage returns the LocalizedMessage text and its locale; both are
// empty for a success.
func (r *Result) LocalizedMessage() (message, locale string) {
	if r.localized == "" {
		return "", ""
	}
	return r.localized, r.locale.String()
}

// addDetail appends one detail whose encoded value is buf[start:].
func (r *Result) addDetail(typeURL string, buf []byte, start int) {
	i := len(r.st.Details)
	a := &r.anys[i]
	a.TypeUrl = typeURL
	a.Value = buf[start:len(buf):len(buf)]
	r.ptrs[i] = a
	r.st.Details = r.ptrs[:i+1]
}
