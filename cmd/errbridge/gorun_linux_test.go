package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestIsGoCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		exe  string
		want bool
	}{
		{"/usr/local/go/bin/go", true},
		{"/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64/bin/go", true},
		{"/usr/lib/go-1.26/bin/go (deleted)", true},
		{"/bin/bash", false},
		{"/usr/bin/gopls", false},
		{"/usr/bin/containerd-shim-runc-v2", false},
	}
	for _, tt := range tests {
		t.Run(tt.exe, func(t *testing.T) {
			t.Parallel()
			if got := isGoCommand(tt.exe); got != tt.want {
				t.Errorf("isGoCommand(%q) = %v, want %v", tt.exe, got, tt.want)
			}
		})
	}
}

// TestGoRunStopsOnSIGTERM runs `go run .` as the README does, sends SIGTERM
// to the go command only, and expects the server it started to drain and
// exit, and its port to close.
func TestGoRunStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary with go run")
	}
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	run := exec.Command(goTool, "run", ".", "--listen", "127.0.0.1:0", "--shutdown-timeout", "5s")
	run.Env = append(os.Environ(), "ERRBRIDGE_LOG_LEVEL=info", "ERRBRIDGE_HTTP_LISTEN=off")
	// Its own process group, so that the cleanup can end whatever is left.
	run.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := run.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-run.Process.Pid, syscall.SIGKILL)
		_ = run.Wait()
	})

	// The server writes to the go command's stderr pipe, which stays open
	// until the last process holding it, the server, exits.
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var logs []string
	var addr string
	timeout := time.After(3 * time.Minute) // go run may compile first
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("go run ended before serving:\n%s", strings.Join(logs, "\n"))
			}
			logs = append(logs, line)
			var entry struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "serving" {
				addr = entry.Addr
			}
		case <-timeout:
			t.Fatalf("no serving line from go run:\n%s", strings.Join(logs, "\n"))
		}
	}

	if err := run.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	timeout = time.After(30 * time.Second)
	for done := false; !done; {
		select {
		case line, ok := <-lines:
			if !ok {
				done = true
				break
			}
			logs = append(logs, line)
		case <-timeout:
			t.Fatalf("the server still runs 30 s after SIGTERM to go run:\n%s", strings.Join(logs, "\n"))
		}
	}
	all := strings.Join(logs, "\n")
	if !strings.Contains(all, `"msg":"draining"`) || !strings.Contains(all, `"msg":"stopped"`) {
		t.Errorf("the server did not drain:\n%s", all)
	}
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after the server's exit", addr)
	}
}
