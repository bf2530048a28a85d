package main

import (
	"strings"
	"testing"

	"github.com/errbridge/errbridge/client"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
)

func TestTranslateCommand(t *testing.T) {
	t.Parallel()
	const notFound = `{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`
	for _, tc := range []struct {
		name      string
		args      []string
		env       map[string]string
		stdin     string
		exit      int
		code      codes.Code
		reason    string
		locale    string
		domain    string
		requestID string
		stderr    string // a part of stderr, for failures
	}{
		{name: "REST code", args: []string{"--http-status", "400"}, stdin: notFound,
			code: codes.NotFound, reason: "MEETING_NOT_FOUND", locale: "en-US", domain: "tencentmeeting.errbridge.dev"},
		{name: "locale and header", args: []string{"--http-status=400", "--locale", "zh-CN", "--header", "X-TC-Trace=trace-9"}, stdin: notFound,
			code: codes.NotFound, reason: "MEETING_NOT_FOUND", locale: "zh-CN", domain: "tencentmeeting.errbridge.dev", requestID: "trace-9"},
		{name: "OAuth family", args: []string{"--http-status", "401", "--family", "oauth"}, stdin: `{"code":1005,"message":"expired"}`,
			code: codes.Unauthenticated, reason: "ACCESS_TOKEN_EXPIRED", locale: "en-US", domain: "tencentmeeting.errbridge.dev"},
		{name: "locale from the environment", args: []string{"--http-status", "400"}, stdin: notFound,
			env:  map[string]string{"ERRBRIDGE_TRANSLATE_LOCALE": "zh-CN", "ERRBRIDGE_DOMAIN": "meeting.example.test"},
			code: codes.NotFound, reason: "MEETING_NOT_FOUND", locale: "zh-CN", domain: "meeting.example.test"},
		{name: "the flag beats the environment", args: []string{"--http-status", "400", "--locale", "en-GB"}, stdin: notFound,
			env:  map[string]string{"ERRBRIDGE_TRANSLATE_LOCALE": "zh-CN", "ERRBRIDGE_DEFAULT_LOCALE": "zh-CN"},
			code: codes.NotFound, reason: "MEETING_NOT_FOUND", locale: "en-US", domain: "tencentmeeting.errbridge.dev"},
		{name: "default locale from the environment", args: []string{"--http-status", "400"}, stdin: notFound,
			env:  map[string]string{"ERRBRIDGE_DEFAULT_LOCALE": "zh-CN"},
			code: codes.NotFound, reason: "MEETING_NOT_FOUND", locale: "zh-CN", domain: "tencentmeeting.errbridge.dev"},
		{name: "unparseable body", args: []string{"--http-status", "502"}, stdin: "<html>",
			code: codes.Unavailable, reason: "UNPARSEABLE_BODY", locale: "en-US", domain: "tencentmeeting.errbridge.dev"},
		{name: "success", args: []string{"--http-status", "200"}, stdin: `{"ok":true}`, code: codes.OK},
		{name: "missing status", args: nil, stdin: notFound, exit: exitUsage, stderr: "--http-status is required"},
		{name: "invalid status", args: []string{"--http-status", "42"}, stdin: notFound, exit: exitUsage, stderr: "http_status"},
		{name: "body over the limit", args: []string{"--http-status", "400", "--max-body-bytes", "10"}, stdin: notFound, exit: exitUsage, stderr: "body"},
		{name: "unknown family", args: []string{"--http-status", "400", "--family", "soap"}, stdin: notFound, exit: exitUsage, stderr: "soap"},
		{name: "malformed header", args: []string{"--http-status", "400", "--header", "novalue"}, stdin: notFound, exit: exitUsage, stderr: "NAME=VALUE"},
		{name: "invalid environment value", args: []string{"--http-status", "400"}, stdin: notFound,
			env: map[string]string{"ERRBRIDGE_MAX_BODY_BYTES": "lots"}, exit: exitUsage, stderr: "ERRBRIDGE_MAX_BODY_BYTES"},
		{name: "bad time zone", args: []string{"--http-status", "400", "--quota-timezone", "Mars/Olympus"}, stdin: notFound, exit: exitUsage, stderr: "time zone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(tc.env, tc.stdin)
			if got := a.run(testCtx(t), append([]string{"translate"}, tc.args...)); got != tc.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, tc.exit, a.stderr)
			}
			if tc.exit != exitOK {
				if a.stdout.String() != "" || !strings.Contains(a.stderr.String(), tc.stderr) {
					t.Errorf("stdout %q, stderr %q; want no output and %q", a.stdout, a.stderr, tc.stderr)
				}
				return
			}
			// stdout is one Status, in JSON, and nothing else.
			var st spb.Status
			if err := protojson.Unmarshal([]byte(a.stdout.String()), &st); err != nil {
				t.Fatalf("stdout is not a Status: %v\n%s", err, a.stdout)
			}
			if a.stderr.String() != "" {
				t.Errorf("stderr: %s", a.stderr)
			}
			d := client.ParseProto(&st)
			if d.Code != tc.code || d.Reason() != tc.reason || d.Domain() != tc.domain {
				t.Errorf("status %v %q %q, want %v %q %q", d.Code, d.Reason(), d.Domain(), tc.code, tc.reason, tc.domain)
			}
			if _, locale := d.Localized(); locale != tc.locale {
				t.Errorf("locale %q, want %q", locale, tc.locale)
			}
			if got := d.RequestInfo.GetRequestId(); got != tc.requestID {
				t.Errorf("request id %q, want %q", got, tc.requestID)
			}
			// Decoded details show their fields, not an encoded "value".
			if out := a.stdout.String(); tc.code != codes.OK && (!strings.Contains(out, `"`+tc.reason+`"`) || strings.Contains(out, `"value"`)) {
				t.Errorf("the details are not decoded:\n%s", a.stdout)
			}
		})
	}
}
