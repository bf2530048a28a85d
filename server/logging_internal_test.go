package server

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"google.golang.org/grpc/codes"
)

func TestSlogAdapterKeepsOnlyAllowedFields(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	a := slogAdapter{slog.New(slog.NewJSONHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	a.Log(context.Background(), logging.LevelWarn, "finished call",
		"grpc.service", "errbridge.v1.TranslatorService",
		"grpc.method", "Translate",
		"grpc.code", "OK",
		"grpc.error", "secret-in-error",
		"grpc.request.content", "secret-in-payload",
		"grpc.start_time", "2026-01-01T00:00:00Z",
		"odd-one-out")
	out := b.String()
	for _, want := range []string{`"grpc.method":"Translate"`, `"grpc.code":"OK"`, `"level":"WARN"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %s lacks %s", out, want)
		}
	}
	for _, unwanted := range []string{"secret-in-error", "secret-in-payload", "start_time", "odd-one-out"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("log %s holds %s", out, unwanted)
		}
	}
}

func TestLogLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		code codes.Code
		want logging.Level
	}{
		{"success", codes.OK, logging.LevelDebug},
		{"caller's mistake", codes.InvalidArgument, logging.LevelDebug},
		{"unknown entry", codes.NotFound, logging.LevelDebug},
		{"overload", codes.ResourceExhausted, logging.LevelWarn},
		{"panic", codes.Internal, logging.LevelError},
		{"unknown", codes.Unknown, logging.LevelError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := logLevel(tc.code); got != tc.want {
				t.Errorf("logLevel(%v) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}
