package translate

import (
	"net/http"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/codes"
)

func TestTranslateFailure(t *testing.T) {
	t.Parallel()
	tr := Default()
	for _, tc := range []struct {
		name   string
		reason errbridgev1.FallbackReason
		status int
		opts   *Options
		code   codes.Code
		want   string
		retry  time.Duration // 0: no RetryInfo
	}{
		{"refused GET", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE, 502, &Options{Method: "GET"}, codes.Unavailable, "UPSTREAM_UNREACHABLE", time.Second},
		{"broken POST", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE, 502, &Options{Method: "POST"}, codes.Unavailable, "UPSTREAM_UNREACHABLE", 0},
		{"POST never sent", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE, 502, &Options{Method: "POST", Idempotent: true}, codes.Unavailable, "UPSTREAM_UNREACHABLE", time.Second},
		{"timeout GET", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TIMEOUT, 504, &Options{Method: "GET"}, codes.DeadlineExceeded, "UPSTREAM_TIMEOUT", time.Second},
		{"timeout POST", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TIMEOUT, 504, &Options{Method: "POST"}, codes.DeadlineExceeded, "UPSTREAM_TIMEOUT", 0},
		{"TLS never retried", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TLS_FAILED, 502, &Options{Method: "GET", Idempotent: true}, codes.Unavailable, "UPSTREAM_TLS_FAILED", 0},
		{"nil options", errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TIMEOUT, 504, nil, codes.DeadlineExceeded, "UPSTREAM_TIMEOUT", 0},
		{"unspecified is unknown", errbridgev1.FallbackReason_FALLBACK_REASON_UNSPECIFIED, 502, nil, codes.Unavailable, "UNKNOWN_ERROR_CODE", 0},
		{"out of range is unknown", errbridgev1.FallbackReason(999), 504, nil, codes.DeadlineExceeded, "UNKNOWN_ERROR_CODE", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tr.TranslateFailure(tc.reason, tc.status, tc.opts)
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			if r.Code() != tc.code || r.Reason() != tc.want {
				t.Errorf("got %v %s, want %v %s", r.Code(), r.Reason(), tc.code, tc.want)
			}
			d, ok := r.RetryDelay()
			if ok != (tc.retry != 0) || d != tc.retry {
				t.Errorf("retry %v %v, want %v", d, ok, tc.retry)
			}
		})
	}
}

// TestHTTPStatusForCode checks every code against google/rpc/code.proto's
// pairs, and that the statuses CodeForHTTPStatus reads map back.
func TestHTTPStatusForCode(t *testing.T) {
	t.Parallel()
	want := map[codes.Code]int{
		codes.OK: 200, codes.Canceled: 499, codes.Unknown: 500, codes.InvalidArgument: 400,
		codes.DeadlineExceeded: 504, codes.NotFound: 404, codes.AlreadyExists: 409,
		codes.PermissionDenied: 403, codes.ResourceExhausted: 429, codes.FailedPrecondition: 400,
		codes.Aborted: 409, codes.OutOfRange: 400, codes.Unimplemented: 501, codes.Internal: 500,
		codes.Unavailable: 503, codes.DataLoss: 500, codes.Unauthenticated: 401,
	}
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if got := HTTPStatusForCode(c); got != want[c] {
			t.Errorf("HTTPStatusForCode(%v) = %d, want %d", c, got, want[c])
		}
	}
	if got := HTTPStatusForCode(codes.Code(99)); got != http.StatusInternalServerError {
		t.Errorf("out-of-range code: %d", got)
	}
	for _, c := range []codes.Code{codes.InvalidArgument, codes.Unauthenticated, codes.PermissionDenied, codes.NotFound,
		codes.ResourceExhausted, codes.Canceled, codes.Unimplemented, codes.Unavailable, codes.DeadlineExceeded} {
		if back := CodeForHTTPStatus(HTTPStatusForCode(c)); back != c {
			t.Errorf("%v → %d → %v", c, HTTPStatusForCode(c), back)
		}
	}
}
