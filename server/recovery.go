package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxPanicText bounds how much of a panic value is logged.
const maxPanicText = 256

// errInternal is what a caller sees of a recovered panic: nothing of its
// value, which stays in the server's log.
var errInternal = status.Error(codes.Internal, "internal error")

// recoverer turns a panic in a call into INTERNAL, counts it and logs it
// with its stack; the server keeps serving.
type recoverer struct {
	l *slog.Logger
	m *metrics
}

// recovered handles the panic value p of a call and returns the call's
// error.
func (r *recoverer) recovered(ctx context.Context, p any) error {
	r.m.panics.Inc()
	text := fmt.Sprint(p)
	if len(text) > maxPanicText {
		text = strings.ToValidUTF8(text[:maxPanicText], "") + "…"
	}
	method, _ := grpc.Method(ctx)
	r.l.LogAttrs(ctx, slog.LevelError, "recovered from a panic",
		slog.String("grpc.method", method),
		slog.String("panic", text),
		slog.String("stack", string(debug.Stack())))
	return errInternal
}

// interceptors are the same recovery as interceptors, for the debug chain,
// where it must run inside the call logger so that the logger sees the
// call end with INTERNAL.
func (r *recoverer) interceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	handle := recovery.WithRecoveryHandlerContext(r.recovered)
	return recovery.UnaryServerInterceptor(handle), recovery.StreamServerInterceptor(handle)
}
