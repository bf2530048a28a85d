package translate

import (
	"strings"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// Options is what the caller knows about one response and the request that
// failed. The zero value (or nil) asks for the defaults.
type Options struct {
	// Headers are response headers, optional. X-TC-Trace and Gw-Trace-Id
	// (matched case-insensitively) become a google.rpc.RequestInfo detail,
	// X-TC-Trace first. The choice never depends on map order: a value counts
	// only when it has a printable character, and when one header arrives
	// under several spellings (X-TC-Trace and x-tc-trace) the name that sorts
	// first byte by byte wins (upper-case letters sort first). The request_id
	// keeps only the value's printable characters, at most 128 bytes.
	Headers map[string]string
	// Locale is the BCP-47 locale of the LocalizedMessage detail; empty means
	// the translator's default.
	Locale string
	// Method is the HTTP method of the failed request, compared
	// case-insensitively. GET, HEAD, PUT, DELETE and OPTIONS count as
	// idempotent.
	Method string
	// Idempotent marks the failed request idempotent whatever its method.
	Idempotent bool
	// Family says which upstream API answered; unspecified detects it from the
	// body's shape.
	Family errbridgev1.ApiFamily

	trace      string // the trace id of Headers, when traceFound
	traceFound bool   // set by UseTrace: Headers are not searched
}

// UseTrace gives the translation the trace id that f found, f having been
// shown every entry of Headers with [TraceFinder.See], so that the
// translation does not search Headers itself. Headers are still the
// caller's: a finder shown other headers gives their trace id instead.
func (o *Options) UseTrace(f *TraceFinder) {
	o.trace, o.traceFound = f.ID(), true
}

// traceID returns the trace id of Headers: the one UseTrace gave, or the
// one found in them now.
func (o *Options) traceID() string {
	if o.traceFound {
		return o.trace
	}
	return traceIn(o.Headers)
}

// idempotent reports whether the failed request may safely run twice.
func (o *Options) idempotent() bool {
	if o.Idempotent {
		return true
	}
	for _, m := range idempotentMethods {
		if len(o.Method) == len(m) && strings.EqualFold(o.Method, m) {
			return true
		}
	}
	return false
}

// idempotentMethods are the HTTP methods that may safely run twice.
var idempotentMethods = [...]string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
