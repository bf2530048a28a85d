package main

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// healthProbeNotServing is grpc-health-probe's exit status for a server that
// answers NOT_SERVING (2 is a connection failure, 3 a failed call).
const healthProbeNotServing = 4

// buildHealthProbe builds the grpc-health-probe pinned in tools/go.mod and
// returns its path (the Go build cache makes later builds quick).
func buildHealthProbe(t *testing.T) string {
	t.Helper()
	tools, err := filepath.Abs(filepath.Join("..", "..", "tools"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "grpc-health-probe")
	build := exec.Command("go", "build", "-o", path, "github.com/grpc-ecosystem/grpc-health-probe")
	build.Dir = tools
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building grpc-health-probe from tools/go.mod: %v\n%s", err, out)
	}
	return path
}

// runHealthProbe runs grpc-health-probe against addr and returns its exit
// status and output.
func runHealthProbe(ctx context.Context, probe, addr string) (int, string) {
	out, err := exec.CommandContext(ctx, probe, "-addr="+addr, "-connect-timeout=5s", "-rpc-timeout=5s").CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, strings.TrimSpace(string(out))
	case errors.As(err, &exit):
		return exit.ExitCode(), strings.TrimSpace(string(out))
	}
	return -1, err.Error()
}
