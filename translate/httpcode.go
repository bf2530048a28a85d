package translate

import "google.golang.org/grpc/codes"

// CodeForHTTPStatus maps an HTTP status to the canonical gRPC code, for
// responses whose error code is unknown or unreadable. It follows the pairs
// in the comments of google/rpc/code.proto, with ranges as the fallback: a
// 2xx is OK, another 4xx FAILED_PRECONDITION, another 5xx INTERNAL, and
// anything else UNKNOWN.
func CodeForHTTPStatus(httpStatus int) codes.Code {
	switch httpStatus {
	case 400:
		return codes.InvalidArgument
	case 401:
		return codes.Unauthenticated
	case 403:
		return codes.PermissionDenied
	case 404:
		return codes.NotFound
	case 408:
		return codes.DeadlineExceeded
	case 409:
		return codes.Aborted
	case 416:
		return codes.OutOfRange
	case 429:
		return codes.ResourceExhausted
	case 499:
		return codes.Canceled
	case 501:
		return codes.Unimplemented
	case 502, 503:
		return codes.Unavailable
	case 504:
		return codes.DeadlineExceeded
	}
	switch {
	case httpStatus >= 200 && httpStatus < 300:
		return codes.OK
	case httpStatus >= 400 && httpStatus < 500:
		return codes.FailedPrecondition
	case httpStatus >= 500 && httpStatus < 600:
		return codes.Internal
	}
	return codes.Unknown
}

// retryableStatus reports whether an HTTP status says that the same
// idempotent request may succeed later: 500 (the server failed), 502 and 504
// (a gateway got no good answer in time), 503 (the server is overloaded or
// down) and 429 (too many requests: the upstream's contact APIs answer it,
// without a body, for "used too frequently, try later"). Never another
// status: 501 (not implemented), 505 (HTTP version), 508 (a loop) and 511
// (network login) fail the same way on every try, 506, 507, 509, 510 and the
// unassigned 5xx statuses promise nothing, and another 4xx is a request
// error.
func retryableStatus(httpStatus int) bool {
	switch httpStatus {
	case 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// HTTPStatusForCode is the HTTP status of a gRPC code: the canonical pairs
// in the comments of google/rpc/code.proto, which the AIP-193 HTTP JSON form
// of an error uses. An out-of-range code is 500, like UNKNOWN.
func HTTPStatusForCode(c codes.Code) int {
	switch c {
	case codes.OK:
		return 200
	case codes.Canceled:
		return 499
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		return 400
	case codes.DeadlineExceeded:
		return 504
	case codes.NotFound:
		return 404
	case codes.AlreadyExists, codes.Aborted:
		return 409
	case codes.PermissionDenied:
		return 403
	case codes.Unauthenticated:
		return 401
	case codes.ResourceExhausted:
		return 429
	case codes.Unimplemented:
		return 501
	case codes.Unavailable:
		return 503
	}
	return 500 // UNKNOWN, INTERNAL, DATA_LOSS and anything else
}
