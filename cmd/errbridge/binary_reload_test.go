package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
)

// scanUntil reads log lines until one has msg, and returns it; the test
// fails if the log ends first.
func scanUntil(t *testing.T, lines *bufio.Scanner, logs *[]string, msg string) string {
	t.Helper()
	for lines.Scan() {
		*logs = append(*logs, lines.Text())
		var entry struct{ Msg string }
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == msg {
			return lines.Text()
		}
	}
	t.Fatalf("the log ended without %q:\n%s", msg, strings.Join(*logs, "\n"))
	return ""
}

// TestBinaryReloadsTheOverlayOnSIGHUP runs the real binary with the README's
// overlay, then rewrites the file and sends real SIGHUPs: a good file is
// served from then on, a bad one is logged and the catalogue stays.
func TestBinaryReloadsTheOverlayOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	ctx := testCtx(t)
	example, err := os.ReadFile(exampleOverlay)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "overlay.textproto")
	// replace writes the overlay file whole, as a deployment would.
	replace := func(content string) {
		tmp := path + ".new"
		if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	replace(string(example))

	serve, addr, lines, logs := startBinary(t, ctx, bin, []string{"ERRBRIDGE_CATALOG_OVERLAY=" + path},
		"--listen", "127.0.0.1:0")
	if all := strings.Join(logs, "\n"); !strings.Contains(all, `"msg":"catalogue overlay loaded"`) {
		t.Errorf("the start-up log lacks the overlay:\n%s", all)
	}
	c := errbridgev1.NewTranslatorServiceClient(servertest.Dial(t, addr))
	if got := reasonOf(t, c, 9007); got != "MEETING_CANCELLED" {
		t.Fatalf("9007 is %s", got)
	}

	replace(string(example) + overlayEntry(999001, "TEST_RELOADED"))
	if err := serve.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if line := scanUntil(t, lines, &logs, "catalogue overlay reloaded"); !strings.Contains(line, `"added":`) {
		t.Errorf("the reload line: %s", line)
	}
	if got := reasonOf(t, c, 999001); got != "TEST_RELOADED" {
		t.Errorf("after the reload, 999001 is %s", got)
	}

	replace(overlayEntry(999001, "TEST_RELOADED") + `entries { family: API_FAMILY_REST code: 999002 reason: "TEST_BAD" spec { grpc_code: ABORTED retry: RETRY_POLICY_FIXED_DELAY zh_cn: "测试。" en_us: "Test." } }`)
	if err := serve.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	line := scanUntil(t, lines, &logs, "catalogue overlay reload failed: the catalogue in use stays")
	if !strings.Contains(line, path) || !strings.Contains(line, "entries[1] (rest 999002): spec.retry_delay: ") {
		t.Errorf("the failed reload's line does not name the file, entry and field: %s", line)
	}
	if got := reasonOf(t, c, 9007); got != "MEETING_CANCELLED" {
		t.Errorf("after a bad reload, 9007 is %s", got)
	}

	terminate(t, serve, lines)
}
