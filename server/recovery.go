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

// recoveryInterceptors turn a panic in a handler into INTERNAL, count it
// and log it with its stack; the server keeps serving.
func recoveryInterceptors(l *slog.Logger, m *metrics) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	handle := recovery.WithRecoveryHandlerContext(func(ctx context.Context, p any) error {
		m.panics.Inc()
		text := fmt.Sprint(p)
		if len(text) > maxPanicText {
			text = strings.ToValidUTF8(text[:maxPanicText], "") + "…"
		}
		method, _ := grpc.Method(ctx)
		l.LogAttrs(ctx, slog.LevelError, "recovered from a panic",
			slog.String("grpc.method", method),
			slog.String("panic", text),
			slog.String("stack", string(debug.Stack())))
		return errInternal
	})
	return recovery.UnaryServerInterceptor(handle), recovery.StreamServerInterceptor(handle)
}
