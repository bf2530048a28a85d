package examples

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// output is the one line of JSON every example prints.
type output struct {
	GRPCCode          int      `json:"grpcCode"`
	GRPCCodeName      string   `json:"grpcCodeName"`
	Reason            string   `json:"reason"`
	Domain            string   `json:"domain"`
	ErrorCode         string   `json:"errorCode"`
	RetryDelaySeconds *float64 `json:"retryDelaySeconds"`
	LocalizedMessage  string   `json:"localizedMessage"`
	Locale            string   `json:"locale"`
	Details           []string `json:"details"`
}

// callers are the example programs, each with the command that runs it.
// The Node example runs three times: over gRPC to the gRPC port, and over
// the Connect protocol and gRPC-Web to the HTTP port.
var callers = []struct {
	name    string
	command []string // the example's flags are appended
	http    bool     // it calls the HTTP port rather than the gRPC port
	needs   string   // what to install when the interpreter is missing
}{
	{"node", []string{"node", "node/translate.mjs"}, false, nodeNeeds},
	{"node-connect", []string{"node", "node/translate.mjs", "--transport", "connect"}, true, nodeNeeds},
	{"node-grpc-web", []string{"node", "node/translate.mjs", "--transport", "grpc-web"}, true, nodeNeeds},
	{"python", []string{"/usr/bin/python3", "python/translate.py"}, false, "Debian's python3-grpcio and python3-protobuf: bash scripts/install-deps"},
	{"java", []string{"bash", "java/translate"}, false, "Debian's openjdk-17-jdk-headless, libgrpc-java and the netty jars: bash scripts/install-deps"},
}

const nodeNeeds = "Node.js 20+ and the npm packages: bash scripts/install-deps"

var cases = []struct {
	name  string
	flags []string
	check func(o output) error
}{
	{
		name:  "REST rate limit with retry",
		flags: []string{"--http-status", "400", "--body", `{"error_info":{"error_code":190310,"new_error_code":200190310,"message":"每分钟总接口调用次数超过限制"}}`},
		check: func(o output) error {
			if o.RetryDelaySeconds == nil || *o.RetryDelaySeconds < 1 || *o.RetryDelaySeconds > 60 {
				return fmt.Errorf("retryDelaySeconds = %v, want 1..60 (until the next minute)", o.RetryDelaySeconds)
			}
			return expect(o, 8, "RESOURCE_EXHAUSTED", "APP_MINUTE_RATE_EXCEEDED", "190310",
				"google.rpc.ErrorInfo", "google.rpc.RetryInfo", "google.rpc.QuotaFailure", "google.rpc.LocalizedMessage")
		},
	},
	{
		name:  "OAuth code in Chinese",
		flags: []string{"--http-status", "400", "--family", "oauth", "--locale", "zh-CN", "--body", `{"code":1005,"message":"access_token expired","nonce":"abc123"}`},
		check: func(o output) error {
			if o.RetryDelaySeconds != nil {
				return fmt.Errorf("retryDelaySeconds = %v, want null", *o.RetryDelaySeconds)
			}
			if o.Locale != "zh-CN" || o.LocalizedMessage != "访问凭证（access_token）过期。" {
				return fmt.Errorf("localized %q %q", o.Locale, o.LocalizedMessage)
			}
			return expect(o, 16, "UNAUTHENTICATED", "ACCESS_TOKEN_EXPIRED", "1005",
				"google.rpc.ErrorInfo", "google.rpc.RequestInfo", "google.rpc.LocalizedMessage")
		},
	},
	{
		name:  "unknown code",
		flags: []string{"--http-status", "400", "--body", `{"error_info":{"error_code":88888,"message":"新的错误"}}`},
		check: func(o output) error {
			if o.RetryDelaySeconds != nil {
				return fmt.Errorf("retryDelaySeconds = %v, want null", *o.RetryDelaySeconds)
			}
			return expect(o, 3, "INVALID_ARGUMENT", "UNKNOWN_ERROR_CODE", "88888",
				"google.rpc.ErrorInfo", "google.rpc.LocalizedMessage")
		},
	},
	{
		name:  "malformed body from a gateway, idempotent request",
		flags: []string{"--http-status", "502", "--method", "GET", "--body", `<html><body>502 Bad Gateway</body></html>`},
		check: func(o output) error {
			if o.RetryDelaySeconds == nil || *o.RetryDelaySeconds != 1 {
				return fmt.Errorf("retryDelaySeconds = %v, want 1", o.RetryDelaySeconds)
			}
			return expect(o, 14, "UNAVAILABLE", "UNPARSEABLE_BODY", "",
				"google.rpc.ErrorInfo", "google.rpc.RetryInfo", "google.rpc.LocalizedMessage")
		},
	},
}

func expect(o output, code int, codeName, reason, errorCode string, details ...string) error {
	switch {
	case o.GRPCCode != code || o.GRPCCodeName != codeName:
		return fmt.Errorf("code %d %s, want %d %s", o.GRPCCode, o.GRPCCodeName, code, codeName)
	case o.Reason != reason:
		return fmt.Errorf("reason %q, want %q", o.Reason, reason)
	case o.ErrorCode != errorCode:
		return fmt.Errorf("errorCode %q, want %q", o.ErrorCode, errorCode)
	case o.Domain != "tencentmeeting.errbridge.dev":
		return fmt.Errorf("domain %q", o.Domain)
	case o.LocalizedMessage == "" || o.Locale == "":
		return fmt.Errorf("no localized message")
	case strings.Join(o.Details, ",") != strings.Join(details, ","):
		return fmt.Errorf("details %v, want %v", o.Details, details)
	}
	return nil
}

// TestExamplesAgainstServer runs every example against the real server
// binary for each case, and checks that every caller reads the same thing.
func TestExamplesAgainstServer(t *testing.T) {
	for _, c := range callers {
		if _, err := exec.LookPath(c.command[0]); err != nil {
			missing(t, c.command[0]+" not found: install "+c.needs)
		}
	}
	// The java example compiles itself and gen/java on its first run: do that
	// once here, into a fresh folder, before the cases run it in parallel.
	for _, tool := range []string{"javac", "java"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, tool+" not found: install Debian's openjdk-17-jdk-headless: bash scripts/install-deps")
		}
	}
	t.Setenv("ERRBRIDGE_JAVA_BUILD", t.TempDir())
	if out, err := exec.Command("bash", "java/translate", "--help").CombinedOutput(); err != nil {
		t.Fatalf("java/translate --help (javac): %v\n%s", err, out)
	}
	if _, err := os.Stat("../node_modules/@connectrpc/connect-node"); err != nil {
		missing(t, "node_modules lacks @connectrpc/connect-node: run npm ci (or bash scripts/install-deps)")
	}
	addr, httpAddr := startServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outputs := map[string]output{}
			for _, c := range callers {
				target := addr
				if c.http {
					target = httpAddr
				}
				args := append(append(append([]string{}, c.command[1:]...), "--addr", target), tc.flags...)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, c.command[0], args...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%s: %v\n%s", c.name, err, stderr.String())
				}
				var o output
				if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &o); err != nil {
					t.Fatalf("%s printed %q: %v", c.name, stdout.String(), err)
				}
				if err := tc.check(o); err != nil {
					t.Errorf("%s: %v\nprinted: %s", c.name, err, stdout.String())
				}
				o.RetryDelaySeconds = nil // clock-dependent for rate limits
				outputs[c.name] = o
			}
			for _, c := range callers[1:] {
				if first, other := fmt.Sprint(outputs[callers[0].name]), fmt.Sprint(outputs[c.name]); first != other {
					t.Errorf("%s and %s differ:\n %s\n %s", callers[0].name, c.name, first, other)
				}
			}
		})
	}
}

// missing fails the test in CI and skips it elsewhere, saying what to install.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(what)
	}
	t.Skip(what + " (this fails instead of skipping when CI is set)")
}

// startServer builds cmd/errbridge, starts it on free loopback ports for
// gRPC and HTTP, and waits until its health service says SERVING.
func startServer(t *testing.T) (grpcAddr, httpAddr string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "errbridge")
	build := exec.Command("go", "build", "-o", bin, "./cmd/errbridge")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr, httpAddr := freeAddr(t), freeAddr(t)
	var logs bytes.Buffer
	srv := exec.Command(bin, "serve", "--listen", addr, "--http-listen", httpAddr, "--drain-delay", "0s")
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- srv.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = srv.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return addr, httpAddr
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server on %s never became SERVING; log:\n%s", addr, logs.String())
	return "", ""
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	return lis.Addr().String()
}
