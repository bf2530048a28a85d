package proxy

import "github.com/errbridge/errbridge/translate"

// Headers the proxy adds to a translated error, and the request header that
// picks the error body. Clients read the Status back with
// client.StatusFromHeader.
const (
	// HeaderCode is the google.rpc.Code name, e.g. RESOURCE_EXHAUSTED.
	HeaderCode = "X-Errbridge-Code"
	// HeaderReason is the ErrorInfo reason, e.g. APP_MINUTE_RATE_EXCEEDED.
	HeaderReason = "X-Errbridge-Reason"
	// HeaderStatusBin is the serialized google.rpc.Status with all its
	// details, in standard padded base64 (the Status stays under 4 KiB).
	HeaderStatusBin = translate.StatusHeader
	// HeaderErrorBody, on a request, overrides the proxy's [ErrorBody] mode
	// for that request's error response: upstream, google or sdk. It is not
	// forwarded.
	HeaderErrorBody = "X-Errbridge-Error-Body"
	// headerRetryAfter is set exactly when the Status has a RetryInfo.
	headerRetryAfter = "Retry-After"
)

// ownHeaders are the response headers only the proxy may set: an upstream's
// are dropped.
var ownHeaders = [...]string{HeaderCode, HeaderReason, HeaderStatusBin}
