package examples

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/proxy/proxytest"
)

// proxyOutput is the line both proxy-status examples print.
type proxyOutput struct {
	HTTPStatus        int      `json:"httpStatus"`
	GRPCCodeName      string   `json:"grpcCodeName"`
	Reason            *string  `json:"reason"`
	ErrorCode         *string  `json:"errorCode"`
	RetryDelaySeconds *float64 `json:"retryDelaySeconds"`
	RetryAfter        *string  `json:"retryAfter"`
	LocalizedMessage  *string  `json:"localizedMessage"`
	Details           []string `json:"details"`
}

// TestProxyStatusDecoders runs the Node (fetch) and Python (urllib) callers
// through the real errbridge proxy binary in front of a fake upstream, and
// checks that both read the same Status from X-Errbridge-Status-Bin.
func TestProxyStatusDecoders(t *testing.T) {
	decoders := []struct {
		name    string
		command []string
		needs   string
	}{
		{"node", []string{"node", "node/proxy-status.mjs"}, "Node.js 20+ and the npm packages: bash scripts/install-deps"},
		{"python", []string{"/usr/bin/python3", "python/proxy_status.py"}, "Debian's python3-protobuf: bash scripts/install-deps"},
	}
	for _, d := range decoders {
		if _, err := exec.LookPath(d.command[0]); err != nil {
			missing(t, d.command[0]+" not found: install "+d.needs)
		}
	}
	up := proxytest.Start(t, false)
	base := startProxyBinary(t, up.URL)
	for _, tc := range []struct {
		name, method, path string
		want               proxyOutput // RetryDelaySeconds and RetryAfter: present or not
	}{
		{"rate limit", "GET", proxytest.CodePath + "rest/190310", proxyOutput{HTTPStatus: 400, GRPCCodeName: "RESOURCE_EXHAUSTED", Reason: ptr("APP_MINUTE_RATE_EXCEEDED"), ErrorCode: ptr("190310"), RetryDelaySeconds: new(float64), RetryAfter: ptr(""),
			Details: []string{"google.rpc.ErrorInfo", "google.rpc.RetryInfo", "google.rpc.QuotaFailure", "google.rpc.RequestInfo", "google.rpc.LocalizedMessage"}}},
		{"OAuth code at HTTP 200", "POST", proxytest.OAuthErrorAt200Path, proxyOutput{HTTPStatus: 200, GRPCCodeName: "UNAUTHENTICATED", Reason: ptr("ACCESS_TOKEN_EXPIRED"), ErrorCode: ptr("1005"),
			Details: []string{"google.rpc.ErrorInfo", "google.rpc.RequestInfo", "google.rpc.LocalizedMessage"}}},
		{"gateway HTML, POST", "POST", proxytest.HTMLBadGatewayPath, proxyOutput{HTTPStatus: 502, GRPCCodeName: "UNAVAILABLE", Reason: ptr("UNPARSEABLE_BODY"),
			Details: []string{"google.rpc.ErrorInfo", "google.rpc.LocalizedMessage"}}},
		{"success", "GET", proxytest.OKPath, proxyOutput{HTTPStatus: 200, GRPCCodeName: "OK", Details: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, d := range decoders {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				args := append(append([]string{}, d.command[1:]...), base+tc.path, "--method", tc.method)
				cmd := exec.CommandContext(ctx, d.command[0], args...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%s: %v\n%s", d.name, err, stderr.String())
				}
				var got proxyOutput
				if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &got); err != nil {
					t.Fatalf("%s printed %q: %v", d.name, stdout.String(), err)
				}
				if (got.RetryDelaySeconds != nil) != (tc.want.RetryDelaySeconds != nil) || (got.RetryAfter != nil) != (tc.want.RetryAfter != nil) {
					t.Errorf("%s: retry delay %v, Retry-After %v; want both or neither, as the Status says", d.name, got.RetryDelaySeconds, got.RetryAfter)
				}
				if got.RetryDelaySeconds != nil && (*got.RetryDelaySeconds < 1 || *got.RetryDelaySeconds > 60) {
					t.Errorf("%s: retry delay %v s, want until the next minute", d.name, *got.RetryDelaySeconds)
				}
				got.RetryDelaySeconds, got.RetryAfter, got.LocalizedMessage = tc.want.RetryDelaySeconds, tc.want.RetryAfter, nil
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("%s read %+v, want %+v\nprinted: %s", d.name, got, tc.want, stdout.String())
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

// startProxyBinary builds cmd/errbridge, runs `errbridge proxy` on a free
// loopback port in front of upstream, and returns its base URL.
func startProxyBinary(t *testing.T, upstream string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "errbridge")
	build := exec.Command("go", "build", "-o", bin, "./cmd/errbridge")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "--drain-delay", "0s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	var logs []string
	for lines.Scan() {
		logs = append(logs, lines.Text())
		var entry struct{ Msg, Addr string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "serving" {
			go func() {
				for lines.Scan() {
				}
			}()
			return "http://" + entry.Addr
		}
	}
	t.Fatalf("the proxy never said where it serves:\n%s", strings.Join(logs, "\n"))
	return ""
}
