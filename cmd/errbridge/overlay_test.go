package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
)

// exampleOverlay is the README's worked example, relative to this package.
const exampleOverlay = "../../examples/overlay/9007.textproto"

// overlayEntry is one CatalogOverlay entry in text format: a new REST code
// with reason and a complete spec.
func overlayEntry(code int, reason string) string {
	return fmt.Sprintf(`entries {
  family: API_FAMILY_REST
  code: %d
  reason: %q
  spec { grpc_code: ABORTED retry: RETRY_POLICY_NEVER zh_cn: "测试。" en_us: "Test." }
}
`, code, reason)
}

// writeFile writes content to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// badOverlays are overlay files that must stop the server, with the part of
// the error that names the entry and the field.
var badOverlays = []struct {
	name, file, content, names string
}{
	{"reason of a built-in code", "collision.textproto", overlayEntry(999001, "TEST_FINE") + overlayEntry(999002, "MEETING_NOT_FOUND"),
		"entries[1] (rest 999002): reason: MEETING_NOT_FOUND is already the reason of REST_ERROR_CODE_MEETING_NOT_FOUND"},
	{"reason of another entry", "twice.textproto", overlayEntry(999001, "TEST_SAME") + overlayEntry(999002, "TEST_SAME"),
		"entries[1] (rest 999002): reason: TEST_SAME is also the reason of entries[0]"},
	{"incomplete spec", "spec.textproto", `entries { family: API_FAMILY_REST code: 999001 reason: "TEST_X" spec { grpc_code: ABORTED zh_cn: "测试。" en_us: "Test." } }`,
		"entries[0] (rest 999001): spec.retry: retry policy is required"},
	{"retry delay missing", "delay.json", `{"entries":[{"family":"API_FAMILY_OAUTH","code":"999003","reason":"TEST_Y","spec":{"grpcCode":"UNAVAILABLE","retry":"RETRY_POLICY_FIXED_DELAY","zhCn":"忙。","enUs":"Busy."}}]}`,
		"entries[0] (oauth 999003): spec.retry_delay: this retry policy needs a positive retry_delay"},
	{"fallback family", "family.textproto", `entries { family: API_FAMILY_FALLBACK code: 1 reason: "TEST_Z" spec { grpc_code: ABORTED retry: RETRY_POLICY_NEVER zh_cn: "测试。" en_us: "Test." } }`,
		"entries[0] (fallback 1): family: "},
	{"unknown field", "typo.textproto", `entries { family: API_FAMILY_REST code: 999001 reasn: "TEST_X" }`, "reasn"},
	{"not text format", "garbage.textproto", `entries {`, "garbage.textproto: "},
}

func TestServeRejectsBadOverlays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range badOverlays {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, dir, tc.file, tc.content)
			a := newTestApp(map[string]string{"ERRBRIDGE_CATALOG_OVERLAY": path}, "")
			if got := a.run(testCtx(t), []string{"serve", "--listen", "127.0.0.1:0"}); got != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, exitUsage, a.stderr)
			}
			if msg := a.stderr.String(); !strings.Contains(msg, "catalog overlay "+path+": ") || !strings.Contains(msg, tc.names) {
				t.Errorf("stderr %q does not name the file %s and %q", msg, path, tc.names)
			}
		})
	}
	a := newTestApp(nil, "")
	missing := filepath.Join(dir, "missing.textproto")
	if got := a.run(testCtx(t), []string{"serve", "--listen", "127.0.0.1:0", "--catalog-overlay", missing}); got != exitUsage || !strings.Contains(a.stderr.String(), missing) {
		t.Errorf("a missing overlay: exit %d, stderr %s", got, a.stderr)
	}
}

// waitForLog waits until the log holds n lines with msg, and fails the test
// if it does not within 20 seconds.
func waitForLog(t *testing.T, logs *servertest.Buffer, msg string, n int) {
	t.Helper()
	for range 2000 {
		if strings.Count(logs.String(), `"msg":"`+msg+`"`) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the log never had %d lines %q:\n%s", n, msg, logs)
}

// reasonOf translates a REST body with code through the server at conn and
// returns the reason.
func reasonOf(t *testing.T, c errbridgev1.TranslatorServiceClient, code int) string {
	t.Helper()
	resp, err := c.Translate(testCtx(t), &errbridgev1.TranslateRequest{
		HttpStatus: 400, Body: fmt.Appendf(nil, `{"error_info":{"error_code":%d}}`, code),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetReason()
}

// TestServeReloadsTheOverlayOnHangup serves with an overlay, then changes
// the file and hangs up: a good file becomes the catalogue, a bad one is
// logged and changes nothing.
func TestServeReloadsTheOverlayOnHangup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "overlay.textproto", overlayEntry(999001, "TEST_FIRST"))
	a := newTestApp(nil, "")
	hangup := make(chan os.Signal)
	a.hangup = hangup
	addrs := make(chan net.Addr, 1)
	a.ready = func(grpcAddr, _, _ net.Addr) { addrs <- grpcAddr }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() { exit <- a.run(ctx, []string{"--listen", "127.0.0.1:0", "--catalog-overlay", path}) }()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case code := <-exit:
		t.Fatalf("serve exited with %d:\n%s", code, a.stderr)
	}
	c := errbridgev1.NewTranslatorServiceClient(servertest.Dial(t, addr.String()))
	if got := reasonOf(t, c, 999001); got != "TEST_FIRST" {
		t.Fatalf("before the reload: %s", got)
	}

	// A good file: 999001 changes reason (it is an overlay code, not a
	// built-in one) and 999002 appears.
	writeFile(t, dir, "overlay.textproto", overlayEntry(999001, "TEST_SECOND")+overlayEntry(999002, "TEST_ADDED"))
	hangup <- syscall.SIGHUP
	waitForLog(t, a.stderr, "catalogue overlay reloaded", 1)
	if got := reasonOf(t, c, 999001); got != "TEST_SECOND" {
		t.Errorf("after the reload, 999001 is %s", got)
	}
	ec, err := c.GetErrorCode(testCtx(t), &errbridgev1.GetErrorCodeRequest{Code: 999002})
	if err != nil || ec.GetErrorCode().GetSource() != errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY || ec.GetErrorCode().GetOverlayFile() != "overlay.textproto" {
		t.Errorf("GetErrorCode(999002): %v, %v", ec, err)
	}

	// A bad file: the catalogue in use stays, and the log says why.
	writeFile(t, dir, "overlay.textproto", overlayEntry(999001, "TEST_SECOND")+overlayEntry(999003, "MEETING_NOT_FOUND"))
	hangup <- syscall.SIGHUP
	waitForLog(t, a.stderr, "catalogue overlay reload failed: the catalogue in use stays", 1)
	if got := reasonOf(t, c, 999002); got != "TEST_ADDED" {
		t.Errorf("after a bad reload, 999002 is %s", got)
	}
	if logs := a.stderr.String(); !strings.Contains(logs, "entries[1] (rest 999003): reason: MEETING_NOT_FOUND is already the reason") ||
		!strings.Contains(logs, `"file":"`+path+`"`) {
		t.Errorf("the failed reload's line does not name the file, entry and field:\n%s", logs)
	}

	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("serve exit %d", code)
	}
	if logs := a.stderr.String(); !strings.Contains(logs, `"msg":"catalogue overlay loaded","file":"`+path+`","added":1,"replaced":0`) {
		t.Errorf("the start-up line lacks the overlay:\n%s", logs)
	}
}

func TestServeHangupWithoutOverlay(t *testing.T) {
	t.Parallel()
	a := newTestApp(nil, "")
	hangup := make(chan os.Signal)
	a.hangup = hangup
	ready := make(chan struct{}, 1)
	a.ready = func(net.Addr, net.Addr, net.Addr) { ready <- struct{}{} }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() { exit <- a.run(ctx, []string{"--listen", "127.0.0.1:0"}) }()
	select {
	case <-ready:
	case code := <-exit:
		t.Fatalf("serve exited with %d:\n%s", code, a.stderr)
	}
	hangup <- syscall.SIGHUP
	waitForLog(t, a.stderr, "SIGHUP: no catalogue overlay to reload (--catalog-overlay is not set)", 1)
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("serve exit %d", code)
	}
}

func TestTranslateCommandReadsTheOverlay(t *testing.T) {
	t.Parallel()
	const body = `{"error_info":{"error_code":9007,"message":"MEETING CANCLED"}}`
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.textproto", overlayEntry(999001, "MEETING_NOT_FOUND"))
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		exit   int
		output string // a part of stdout, or of stderr on failure
	}{
		{"flag", []string{"--http-status", "400", "--catalog-overlay", exampleOverlay}, nil, exitOK, `"MEETING_CANCELLED"`},
		{"environment", []string{"--http-status", "400"}, map[string]string{"ERRBRIDGE_CATALOG_OVERLAY": exampleOverlay}, exitOK, `"MEETING_CANCELLED"`},
		{"bad file", []string{"--http-status", "400", "--catalog-overlay", bad}, nil, exitUsage,
			"catalog overlay " + bad + ": entries[0] (rest 999001): reason: MEETING_NOT_FOUND is already the reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(tc.env, body)
			if code := a.run(testCtx(t), append([]string{"translate"}, tc.args...)); code != tc.exit {
				t.Fatalf("exit %d, want %d: %s", code, tc.exit, a.stderr)
			}
			out := a.stdout.String()
			if tc.exit != exitOK {
				out = a.stderr.String()
			}
			if !strings.Contains(out, tc.output) {
				t.Errorf("output %q lacks %q", out, tc.output)
			}
		})
	}
}
