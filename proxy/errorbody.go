package proxy

import (
	"fmt"
	"strings"
)

// ErrorBody says what body a translated error response carries.
type ErrorBody int

const (
	// ErrorBodyUpstream keeps the upstream's status and body unchanged, so
	// the official SDKs behave exactly as without the proxy (the default).
	ErrorBodyUpstream ErrorBody = iota
	// ErrorBodyGoogle answers in the AIP-193 HTTP JSON form,
	// {"error":{"code":<http>,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}},
	// with the HTTP status of the gRPC code (translate.HTTPStatusForCode),
	// so that ordinary HTTP retry middleware, which retries 429 and 503 and
	// honours Retry-After, does the right thing.
	ErrorBodyGoogle
	// ErrorBodySDK keeps the upstream's JSON envelope but repairs it so that
	// every official SDK reads the error: error_info always holds an integer
	// error_code, a new_error_code and a message; other fields are kept.
	ErrorBodySDK
)

// String returns the mode's name, as [ParseErrorBody] reads it.
func (m ErrorBody) String() string {
	switch m {
	case ErrorBodyUpstream:
		return "upstream"
	case ErrorBodyGoogle:
		return "google"
	case ErrorBodySDK:
		return "sdk"
	}
	return fmt.Sprintf("ErrorBody(%d)", int(m))
}

// ParseErrorBody reads a mode name: upstream, google or sdk (any case).
func ParseErrorBody(s string) (ErrorBody, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "upstream":
		return ErrorBodyUpstream, nil
	case "google":
		return ErrorBodyGoogle, nil
	case "sdk":
		return ErrorBodySDK, nil
	}
	return 0, fmt.Errorf("invalid error body %q: want upstream, google or sdk", s)
}
