package main

import (
	"strings"
	"testing"
	"time"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		exit int
		want []string // on stdout, or on stderr when exit is not 0
	}{
		{"top level", []string{"--help"}, exitOK, []string{"serve", "translate", "health", "version"}},
		{"help command", []string{"help"}, exitOK, []string{"Commands:"}},
		{"serve", []string{"serve", "--help"}, exitOK, []string{
			"--listen", "ERRBRIDGE_LISTEN", "ERRBRIDGE_METRICS_LISTEN", "ERRBRIDGE_DOMAIN", "ERRBRIDGE_DEFAULT_LOCALE",
			"ERRBRIDGE_QUOTA_TIMEZONE", "default Asia/Shanghai", "ERRBRIDGE_MAX_BODY_BYTES", "default 65536",
			"ERRBRIDGE_MAX_BATCH", "ERRBRIDGE_MAX_CONCURRENT_STREAMS", "ERRBRIDGE_CONNECTION_TIMEOUT",
			"ERRBRIDGE_KEEPALIVE_MIN_TIME", "ERRBRIDGE_KEEPALIVE_TIME", "ERRBRIDGE_TLS_CERT", "ERRBRIDGE_TLS_KEY",
			"ERRBRIDGE_TLS_CLIENT_CA", "ERRBRIDGE_SHUTDOWN_TIMEOUT", "default 10s", "ERRBRIDGE_LOG_LEVEL"}},
		{"serve by default", []string{"-h"}, exitOK, []string{"Commands:"}},
		{"translate", []string{"translate", "--help"}, exitOK, []string{"--http-status", "ERRBRIDGE_TRANSLATE_HTTP_STATUS", "--header", "ERRBRIDGE_DOMAIN"}},
		{"health", []string{"health", "--help"}, exitOK, []string{"--addr", "ERRBRIDGE_HEALTH_ADDR", "ERRBRIDGE_HEALTH_TLS_CA"}},
		{"unknown command", []string{"frobnicate"}, exitUsage, []string{"unknown command"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(nil, "")
			if got := a.run(testCtx(t), tc.args); got != tc.exit {
				t.Fatalf("exit %d, want %d", got, tc.exit)
			}
			out := a.stdout.String()
			if tc.exit != exitOK {
				out = a.stderr.String()
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	a := newTestApp(nil, "")
	if got := a.run(testCtx(t), []string{"version"}); got != exitOK || !strings.HasPrefix(a.stdout.String(), "errbridge ") {
		t.Errorf("exit %d, stdout %q", got, a.stdout)
	}
}

func TestParseQuotaLocation(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		in     string
		offset int // seconds east of UTC; -1 for an error
	}{
		{"IANA name", "Asia/Shanghai", 8 * 3600},
		{"UTC", "UTC", 0},
		{"UTC+8", "UTC+8", 8 * 3600},
		{"GMT-5", "GMT-5", -5 * 3600},
		{"half hours", "UTC+05:30", 5*3600 + 1800},
		{"bare offset", "+0800", 8 * 3600},
		{"lower case", "utc+9", 9 * 3600},
		{"too far east", "UTC+15", -1},
		{"bad minutes", "UTC+8:75", -1},
		{"unknown zone", "Mars/Olympus", -1},
		{"empty", "", -1},
		{"local", "Local", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc, err := parseQuotaLocation(tc.in)
			if tc.offset == -1 {
				if err == nil {
					t.Errorf("parseQuotaLocation(%q) accepted it", tc.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, off := at.In(loc).Zone(); off != tc.offset {
				t.Errorf("offset %d, want %d", off, tc.offset)
			}
		})
	}
}
