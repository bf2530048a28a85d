package server

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
)

// Rate limit of the refusal log: at most refusalLogBurst lines in each
// refusalLogInterval; the lines left out are counted in the next one.
const (
	refusalLogBurst    = 20
	refusalLogInterval = time.Second
	// maxLoggedMethod bounds how much of a caller-chosen method name is
	// logged.
	maxLoggedMethod = 128
)

// Why a call failed before its handler ran, as logged.
const (
	refusedBudget    = "over the memory budget"
	refusedTooLarge  = "message over the receive limit"
	refusedUndecoded = "request message not decodable"
	refusedUnknown   = "unknown service or method"
	refusedNoMessage = "no request message received"
	refusedLate      = "request message not received within the receive timeout"
)

// refusalLog logs the calls that failed before their handler ran, at info
// level and rate-limited: hostile or broken clients can send them faster
// than anyone reads logs.
type refusalLog struct {
	l          *slog.Logger
	now        func() time.Time
	mu         sync.Mutex
	window     time.Time // start of the current interval
	logged     int       // lines logged in it
	suppressed int       // lines left out since the last one logged
}

func newRefusalLog(l *slog.Logger) *refusalLog { return &refusalLog{l: l, now: time.Now} }

// refusalReason names the failure of a call whose request could not be
// received, from the status code the receipt failed with.
func refusalReason(c codes.Code) string {
	switch c {
	case codes.ResourceExhausted:
		return refusedTooLarge
	case codes.Internal:
		return refusedUndecoded
	}
	return refusedNoMessage
}

// log logs one refused call unless the rate limit says otherwise.
func (r *refusalLog) log(ctx context.Context, service, method string, c codes.Code, reason string) {
	if (c == codes.Canceled || c == codes.DeadlineExceeded) && reason != refusedLate {
		return // the caller gave up; not a refusal
	}
	if !r.l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	now := r.now()
	r.mu.Lock()
	if now.Sub(r.window) >= refusalLogInterval {
		r.window, r.logged = now, 0
	}
	if r.logged >= refusalLogBurst {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	r.logged++
	suppressed := r.suppressed
	r.suppressed = 0
	r.mu.Unlock()

	attrs := []slog.Attr{
		slog.String("grpc.service", loggableName(service)),
		slog.String("grpc.method", loggableName(method)),
		slog.String("grpc.code", c.String()),
		slog.String("reason", reason),
	}
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		attrs = append(attrs, slog.String("peer.address", p.Addr.String()))
	}
	if suppressed > 0 {
		attrs = append(attrs, slog.Int("suppressed", suppressed))
	}
	r.l.LogAttrs(ctx, slog.LevelInfo, "refused call", attrs...)
}

// loggableName bounds a name the caller chose and keeps it valid UTF-8.
func loggableName(s string) string {
	if len(s) > maxLoggedMethod {
		s = s[:maxLoggedMethod] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
