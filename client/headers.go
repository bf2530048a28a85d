package client

import (
	"net/http"

	"github.com/errbridge/errbridge/translate"
)

// TraceHeaders returns the headers of an upstream response that errbridge
// reads (X-TC-Trace and Gw-Trace-Id, the first value of each), ready for
// TranslateRequest.headers, or nil when h has neither. Forwarding only these
// keeps requests small: each header costs the server a few allocations to
// decode, and the others do not change the translation.
func TraceHeaders(h http.Header) map[string]string {
	var m map[string]string
	for _, name := range []string{translate.HeaderTrace, translate.HeaderGwTrace} {
		if v := h.Get(name); v != "" {
			if m == nil {
				m = make(map[string]string, 2)
			}
			m[name] = v
		}
	}
	return m
}
