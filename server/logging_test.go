package server_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc/metadata"
)

func TestLogsNeverHoldSecrets(t *testing.T) {
	t.Parallel()
	var logs servertest.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := servertest.Start(t, server.WithLogger(logger), server.WithUnaryInterceptors(panicker))
	c := stub(t, s)

	secrets := []string{"sekrit-key-1", "sekrit-signature-2", "sekrit-token-3", "sekrit-body-4", "sekrit-metadata-5", "sekrit-long-6"}
	headers := map[string]string{
		"X-TC-Key":       secrets[0],
		"X-TC-Signature": secrets[1],
		"AccessToken":    secrets[2],
		"X-TC-Trace":     "trace-1",
	}
	body := []byte(`{"error_info":{"error_code":9003,"message":"` + secrets[3] + `"}}`)
	long := map[string]string{"X-TC-Key": secrets[5] + strings.Repeat("x", 9000)}
	requests := []*errbridgev1.TranslateRequest{
		{HttpStatus: 400, Body: body, Headers: headers},                           // valid
		{HttpStatus: 0, Body: body, Headers: headers, Locale: "!"},                // invalid
		{HttpStatus: 400, Body: body, Headers: long},                              // invalid header value
		{HttpStatus: 502, Body: []byte("<" + secrets[3] + ">"), Headers: headers}, // unparseable body
	}
	ctx := metadata.AppendToOutgoingContext(callCtx(t), "authorization", "Bearer "+secrets[4])
	for _, r := range requests {
		_, _ = c.Translate(ctx, r)
	}
	_, _ = c.TranslateBatch(ctx, &errbridgev1.TranslateBatchRequest{Requests: requests})
	_, _ = c.Translate(metadata.AppendToOutgoingContext(ctx, panicKey, "boom"), requests[0])

	out := logs.String()
	if !strings.Contains(out, `"msg":"finished call"`) || !strings.Contains(out, `"errbridge.reason":"MEETING_NOT_FOUND"`) ||
		!strings.Contains(out, `"msg":"recovered from a panic"`) {
		t.Fatalf("the calls were not logged as expected:\n%s", out)
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			t.Errorf("the logs hold %q:\n%s", secret, out)
		}
	}
}

// finishedCalls returns the "finished call" lines of JSON logs.
func finishedCalls(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		if m["msg"] == "finished call" {
			out = append(out, m)
		}
	}
	return out
}

// callFields are the fields of every "finished call" line, at any level.
var callFields = []string{"time", "level", "msg", "grpc.service", "grpc.method", "grpc.method_type", "peer.address", "grpc.code", "grpc.time_ms"}

func TestCallLogLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		level slog.Level
		codes []string // the codes of the logged calls, in order
	}{
		{"debug logs every call", slog.LevelDebug, []string{"OK", "InvalidArgument", "Internal"}},
		{"info logs failures of the server only", slog.LevelInfo, []string{"Internal"}},
		{"error logs failures of the server only", slog.LevelError, []string{"Internal"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs servertest.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: tc.level}))
			c := stub(t, servertest.Start(t, server.WithLogger(logger), server.WithUnaryInterceptors(panicker)))
			req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")}
			_, _ = c.Translate(callCtx(t), req)
			_, _ = c.Translate(callCtx(t), &errbridgev1.TranslateRequest{})
			_, _ = c.Translate(metadata.AppendToOutgoingContext(callCtx(t), panicKey, "boom"), req)

			lines := finishedCalls(t, logs.String())
			if len(lines) != len(tc.codes) {
				t.Fatalf("%d call lines, want %d:\n%s", len(lines), len(tc.codes), logs.String())
			}
			for i, l := range lines {
				if l["grpc.code"] != tc.codes[i] {
					t.Errorf("line %d has code %v, want %s", i, l["grpc.code"], tc.codes[i])
				}
				if l["grpc.method"] != "Translate" || l["grpc.service"] != server.ServiceName || l["grpc.method_type"] != "unary" {
					t.Errorf("line %d names the wrong call: %v", i, l)
				}
				for _, k := range callFields {
					if _, ok := l[k]; !ok {
						t.Errorf("line %d lacks %s: %v", i, k, l)
					}
				}
				extra := len(l) - len(callFields)
				if _, ok := l["errbridge.reason"]; ok {
					extra--
				}
				if extra != 0 {
					t.Errorf("line %d has unexpected fields: %v", i, l)
				}
			}
		})
	}
}
