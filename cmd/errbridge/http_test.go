package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// curl runs the real curl with args and returns the body it printed and
// the HTTP status, which -w appends on a line of its own.
func curl(t *testing.T, ctx context.Context, args ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "curl", append([]string{"-sS", "--max-time", "20", "-w", "\n%{http_code}"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl %v: %v\n%s", args, err, stderr.String())
	}
	out := stdout.Bytes()
	i := bytes.LastIndexByte(out, '\n')
	code, err := strconv.Atoi(string(out[i+1:]))
	if err != nil {
		t.Fatalf("curl %v printed %q", args, out)
	}
	return out[:i], code
}

// TestBinaryServesHTTP runs the real binary and calls every REST path and
// Connect with the real curl, as the README shows, then checks the metrics
// and that SIGTERM closes the HTTP port with the gRPC one.
func TestBinaryServesHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("curl not found: bash scripts/install-deps installs it")
		}
		t.Skip("curl not found: apt-get install curl (this fails instead of skipping when CI is set)")
	}
	bin := buildBinary(t)
	ctx := testCtx(t)
	serve, _, lines, logs := startBinary(t, ctx, bin, []string{},
		"--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", "--shutdown-timeout", "20s")
	var addrs struct {
		HTTP    string `json:"http_addr"`
		Metrics string `json:"metrics_addr"`
	}
	if err := json.Unmarshal([]byte(logs[len(logs)-1]), &addrs); err != nil || addrs.HTTP == "" {
		t.Fatalf("the serving line names no HTTP address: %s", logs[len(logs)-1])
	}
	h := "http://" + addrs.HTTP
	body9003 := base64.StdEncoding.EncodeToString([]byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`))
	rateLimit := base64.StdEncoding.EncodeToString([]byte(`{"error_info":{"error_code":190310,"message":"每分钟总接口调用次数超过限制"}}`))

	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   map[string]any // top-level fields of the JSON answer
	}{
		{"REST translate", []string{"-X", "POST", h + "/v1/translate", "-H", "Content-Type: application/json",
			"-d", `{"httpStatus":400,"body":"` + body9003 + `","locale":"zh-CN"}`},
			200, map[string]any{"code": "NOT_FOUND", "reason": "MEETING_NOT_FOUND", "localizedMessage": "会议不存在。"}},
		{"REST batch", []string{"-X", "POST", h + "/v1/translate:batch",
			"-d", `{"requests":[{"httpStatus":400,"body":"` + body9003 + `"},{"httpStatus":400,"body":"` + rateLimit + `"}]}`},
			200, nil},
		{"REST list", []string{h + "/v1/errorCodes?family=API_FAMILY_OAUTH&pageSize=100"},
			200, map[string]any{"totalSize": float64(oauthErrorCodes())}},
		{"REST get", []string{h + "/v1/errorCodes/APP_MINUTE_RATE_EXCEEDED"},
			200, map[string]any{"code": "190310", "reason": "APP_MINUTE_RATE_EXCEEDED"}},
		{"REST error", []string{h + "/v1/errorCodes/NO_SUCH_REASON"},
			404, nil},
		{"Connect translate", []string{"-X", "POST", h + "/errbridge.v1.TranslatorService/Translate",
			"-H", "Content-Type: application/json", "-d", `{"httpStatus":400,"body":"` + rateLimit + `"}`},
			200, map[string]any{"code": "RESOURCE_EXHAUSTED", "reason": "APP_MINUTE_RATE_EXCEEDED", "retryable": true}},
		{"Connect health", []string{"-X", "POST", h + "/grpc.health.v1.Health/Check", "-H", "Content-Type: application/json", "-d", `{}`},
			200, map[string]any{"status": "SERVING"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, status := curl(t, ctx, tc.args...)
			if status != tc.status {
				t.Fatalf("HTTP %d, want %d: %s", status, tc.status, body)
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("not JSON: %v: %s", err, body)
			}
			for k, w := range tc.want {
				if v[k] != w {
					t.Errorf("%s = %v, want %v; answer %s", k, v[k], w, body)
				}
			}
			switch tc.name {
			case "REST batch":
				if r, _ := v["results"].([]any); len(r) != 2 {
					t.Errorf("results: %s", body)
				}
			case "REST error":
				e, _ := v["error"].(map[string]any)
				if e["code"] != float64(404) || e["status"] != "NOT_FOUND" || e["message"] == "" {
					t.Errorf("not an AIP-193 NOT_FOUND: %s", body)
				}
			case "Connect translate":
				if d, _ := v["retryDelay"].(string); !strings.HasSuffix(d, "s") {
					t.Errorf("retryDelay %v", v["retryDelay"])
				}
			}
		})
	}

	// The HTTP calls went through the gRPC server's interceptors.
	metrics, _ := curl(t, ctx, "http://"+addrs.Metrics+"/metrics")
	for _, want := range []string{
		`errbridge_grpc_server_handled_total{grpc_code="OK",grpc_method="Translate",grpc_service="errbridge.v1.TranslatorService"} 2`,
		`errbridge_grpc_server_handled_total{grpc_code="NotFound",grpc_method="GetErrorCode",grpc_service="errbridge.v1.TranslatorService"} 1`,
		`errbridge_translations_total{grpc_code="ResourceExhausted",reason="APP_MINUTE_RATE_EXCEEDED"} 2`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// SIGTERM: the server drains and exits, and the HTTP port is gone.
	terminate(t, serve, lines)
	err := exec.CommandContext(ctx, "curl", "-sS", "--max-time", "5", h+"/").Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 7 { // 7: could not connect
		t.Errorf("curl after SIGTERM: %v, want exit 7 (connection refused)", err)
	}
}

// oauthErrorCodes is how many OAuth error codes the catalogue lists (code 0,
// success, is not one).
func oauthErrorCodes() int {
	n := 0
	for _, e := range catalog.Default().Entries() {
		if e.Family == errbridgev1.ApiFamily_API_FAMILY_OAUTH && !e.IsSuccess() {
			n++
		}
	}
	return n
}
