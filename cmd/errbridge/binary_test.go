package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the command into a temporary directory, as the
// Dockerfile does.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "errbridge")
	build := exec.Command(goTool, "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary starts `bin args...` with env and reads its JSON log on stderr
// until the "serving" line, failing the test if the server never gets there.
// It returns the running command, the address it serves on, the log scanner
// positioned after that line, and the lines read so far.
func startBinary(t *testing.T, ctx context.Context, bin string, env []string, args ...string) (*exec.Cmd, string, *bufio.Scanner, []string) {
	t.Helper()
	serve := exec.CommandContext(ctx, bin, args...)
	// The HTTP port is off unless the test asks for it: its default, :8080,
	// is one port for every test binary running at once.
	serve.Env = append([]string{"ERRBRIDGE_HTTP_LISTEN=off"}, env...)
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var logs []string
	for lines.Scan() {
		logs = append(logs, lines.Text())
		var entry struct{ Msg, Addr string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "serving" {
			return serve, entry.Addr, lines, logs
		}
	}
	_ = serve.Process.Kill()
	t.Fatalf("the server never said where it serves:\n%s", strings.Join(logs, "\n"))
	return nil, "", nil, nil
}

// TestBinaryDrainsOnSIGTERM runs the real binary: serve, a health check and
// a translation through it, then SIGTERM, after which it must exit 0.
func TestBinaryDrainsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	ctx := testCtx(t)

	serve, addr, lines, logs := startBinary(t, ctx, bin, []string{"ERRBRIDGE_LOG_LEVEL=info"},
		"--listen", "127.0.0.1:0", "--http-listen", "off", "--shutdown-timeout", "20s", "--drain-delay", "100ms")

	health := exec.CommandContext(ctx, bin, "health", "--addr", addr)
	health.Env = []string{}
	if out, err := health.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "SERVING" {
		t.Errorf("health: %v, %q", err, out)
	}
	translate := exec.CommandContext(ctx, bin, "translate", "--http-status", "400")
	translate.Env = []string{}
	translate.Stdin = strings.NewReader(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)
	out, err := translate.Output()
	var st struct{ Code int }
	if err != nil || json.Unmarshal(out, &st) != nil || st.Code != 5 {
		t.Errorf("translate: %v, %s", err, out)
	}

	logs = append(logs, terminate(t, serve, lines)...)
	if all := strings.Join(logs, "\n"); !strings.Contains(all, `"msg":"draining"`) || !strings.Contains(all, `"msg":"stopped"`) {
		t.Errorf("logs lack the drain:\n%s", all)
	}
}

// terminate sends SIGTERM to serve, reads the rest of its log and waits
// for it to exit, which must be with status 0 within 30 seconds. It
// returns the log lines read.
func terminate(t *testing.T, serve *exec.Cmd, lines *bufio.Scanner) []string {
	t.Helper()
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var logs []string
	for lines.Scan() {
		logs = append(logs, lines.Text())
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v:\n%s", err, strings.Join(logs, "\n"))
		}
	case <-time.After(30 * time.Second):
		_ = serve.Process.Kill()
		t.Fatal("serve did not exit after SIGTERM")
	}
	return logs
}
