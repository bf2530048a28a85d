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
// immutable; it and the Status it holds take three allocations: the
// structure, the Any values of the details, and their encodings.
type Result struct {
	st   spb.Status
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
}

// Proto returns the Status as a message. It is owned by the Result and the
// encodings of its static details are shared by every Result of the same
// code: read it, marshal it, or put it in a response, but never modify it
// (use proto.Clone, or [Result.Status], for a copy of your own).
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

// BodyRead reports whether the Result is what the engine read in the body (an
// error code, known or not, or a success) rather than the UNPARSEABLE_BODY
// fallback, whose metadata quote the body. Such a Result is the same for the
// body with JSON white space after it (FuzzTranslate checks it).
func (r *Result) BodyRead() bool {
	return r.entry.Family != errbridgev1.ApiFamily_API_FAMILY_FALLBACK ||
		r.entry.Code != int64(errbridgev1.FallbackReason_FALLBACK_REASON_UNPARSEABLE_BODY)
}

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

// details records the details of a Result while it is built: each is
// either a range of the scratch buffer (dynamic) or a precompiled encoding
// shared by every Result of the same entry (static).
type details struct {
	n      int
	ends   [maxDetails]int    // end of a dynamic detail in the scratch buffer
	static [maxDetails][]byte // a static detail's encoding
	urls   [maxDetails]string
}

// mark ends the dynamic detail that started after the previous one.
func (d *details) mark(typeURL string, buf []byte) {
	d.urls[d.n] = typeURL
	d.ends[d.n] = len(buf)
	d.n++
}

// share adds a static detail; its bytes are never copied nor modified.
func (d *details) share(typeURL string, encoded []byte, buf []byte) {
	d.urls[d.n] = typeURL
	d.static[d.n] = encoded
	d.ends[d.n] = len(buf)
	d.n++
}

// attach copies the dynamic details out of the scratch buffer into one
// allocation of their exact size (or the arena's, when a is not nil) and
// points the Status's Any values at them and at the static ones.
func (r *Result) attach(a *Arena, d *details, scratch []byte) {
	buf := a.clone(scratch)
	anys := a.details(d.n)
	start := 0
	for i := 0; i < d.n; i++ {
		a := &anys[i]
		a.TypeUrl = d.urls[i]
		if d.static[i] != nil {
			a.Value = d.static[i]
		} else {
			a.Value = buf[start:d.ends[i]:d.ends[i]]
		}
		start = d.ends[i]
		r.ptrs[i] = a
	}
	r.st.Details = r.ptrs[:d.n]
}
