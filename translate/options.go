package translate

import errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"

// Options is what the caller knows about one response and the request that
// failed. The zero value (or nil) asks for the defaults.
type Options struct {
	// Headers are response headers, optional. X-TC-Trace and Gw-Trace-Id
	// (matched case-insensitively) become a google.rpc.RequestInfo detail.
	Headers map[string]string
	// Locale is the BCP-47 locale of the LocalizedMessage detail; empty means
	// the translator's default.
	Locale string
	// Method is the HTTP method of the failed request. GET, HEAD, PUT, DELETE
	// and OPTIONS count as idempotent.
	Method string
	// Idempotent marks the failed request idempotent whatever its method.
	Idempotent bool
	// Family says which upstream API answered; unspecified detects it from the
	// body's shape.
	Family errbridgev1.ApiFamily
}

// idempotent reports whether the failed request may safely run twice.
func (o *Options) idempotent() bool {
	if o.Idempotent {
		return true
	}
	switch o.Method {
	case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "head", "put", "delete", "options":
		return true
	}
	return false
}
