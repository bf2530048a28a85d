package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
)

// reasonLogField is the log field of a translated reason, added at debug
// level only.
const reasonLogField = "errbridge.reason"

// slogAdapter adapts a *slog.Logger to the middleware's logging.Logger. It
// keeps only the fields of loggedField, so that whatever the middleware or a
// handler adds (an error text, a payload) never reaches the log: no header
// value and no body is ever printed.
type slogAdapter struct{ l *slog.Logger }

// loggedField reports whether a middleware field may be logged.
func loggedField(key string) bool {
	switch key {
	case logging.ServiceFieldKey, logging.MethodFieldKey, logging.MethodTypeFieldKey,
		"grpc.code", "grpc.time_ms", "peer.address", reasonLogField:
		return true
	}
	return false
}

// Log implements logging.Logger.
func (a slogAdapter) Log(ctx context.Context, level logging.Level, msg string, fields ...any) {
	l := slog.Level(level)
	if !a.l.Enabled(ctx, l) {
		return
	}
	attrs := make([]slog.Attr, 0, 8)
	for i := 0; i+1 < len(fields); i += 2 {
		if key, ok := fields[i].(string); ok && loggedField(key) {
			attrs = append(attrs, slog.Any(key, fields[i+1]))
		}
	}
	a.l.LogAttrs(ctx, l, msg, attrs...)
}

// logLevel is the level of a finished call: successes and the caller's own
// mistakes at debug (never info: a busy server would log every call), the
// server's trouble at warn, and its failures at error.
func logLevel(c codes.Code) logging.Level {
	switch c {
	case codes.OK, codes.Canceled, codes.InvalidArgument, codes.NotFound, codes.AlreadyExists,
		codes.Unauthenticated, codes.PermissionDenied, codes.FailedPrecondition, codes.OutOfRange:
		return logging.LevelDebug
	case codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted, codes.Unavailable:
		return logging.LevelWarn
	}
	return logging.LevelError
}

// durationField logs a call's duration in milliseconds.
func durationField(d time.Duration) logging.Fields {
	return logging.Fields{"grpc.time_ms", float64(d.Microseconds()) / 1000}
}

// callLogger logs each finished call: the method, the code, the duration
// and the peer.
//
// The middleware's logging interceptors prepare a dozen fields for every
// call, which costs about a fifth of an empty call's time, before they know
// the level of the line. So they run only while the logger is enabled at
// debug level, where every call is logged (debugUnary, debugStream, in the
// chain that [calls] runs). Otherwise successes, which log at debug, are
// never logged, and the few calls whose outcome logs at an enabled level get
// the same line from [callLogger.finished], which builds it only for them.
type callLogger struct {
	adapter     slogAdapter
	debugUnary  grpc.UnaryServerInterceptor
	debugStream grpc.StreamServerInterceptor
}

func newCallLogger(l *slog.Logger) *callLogger {
	a := slogAdapter{l}
	opts := []logging.Option{
		logging.WithLogOnEvents(logging.FinishCall),
		logging.WithLevels(logLevel),
		logging.WithDurationField(durationField),
	}
	return &callLogger{
		adapter:     a,
		debugUnary:  logging.UnaryServerInterceptor(a, opts...),
		debugStream: logging.StreamServerInterceptor(a, opts...),
	}
}

// finished logs a failed call, when its level is enabled, with the fields
// the middleware would give it.
func (c *callLogger) finished(ctx context.Context, service, method, typ string, code codes.Code, start time.Time) {
	level := logLevel(code)
	if !c.adapter.l.Enabled(ctx, slog.Level(level)) {
		return
	}
	fields := logging.Fields{
		logging.ServiceFieldKey, service,
		logging.MethodFieldKey, method,
		logging.MethodTypeFieldKey, typ,
	}
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		fields = append(fields, "peer.address", p.Addr.String())
	}
	fields = append(fields, "grpc.code", code.String())
	c.adapter.Log(ctx, level, "finished call", append(fields, durationField(time.Since(start))...)...)
}
