package server

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
)

// TestRefusalLogIsRateLimited logs bursts of refusals on a fake clock: at
// most refusalLogBurst lines an interval, the next interval's first line
// counting those left out, and no line for calls the caller gave up on.
func TestRefusalLogIsRateLimited(t *testing.T) {
	t.Parallel()
	var logs strings.Builder // one goroutine writes
	r := newRefusalLog(slog.New(slog.NewJSONHandler(&logs, nil)))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r.now = func() time.Time { return now }
	ctx := context.Background()
	for range refusalLogBurst + 5 {
		r.log(ctx, "evil.v1.Nope", "Probe", codes.Unimplemented, refusedUnknown)
	}
	r.log(ctx, "errbridge.v1.TranslatorService", "Translate", codes.Canceled, refusedNoMessage)
	if n := strings.Count(logs.String(), `"msg":"refused call"`); n != refusalLogBurst {
		t.Fatalf("%d lines in one interval, want %d", n, refusalLogBurst)
	}
	now = now.Add(refusalLogInterval)
	r.log(ctx, strings.Repeat("s", 300), "\xff", codes.ResourceExhausted, refusedBudget)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	last := lines[len(lines)-1]
	if len(lines) != refusalLogBurst+1 || !strings.Contains(last, `"suppressed":5`) {
		t.Errorf("the next interval's line %s: want it to count the 5 left out", last)
	}
	if !strings.Contains(last, `"grpc.method":"`+"\uFFFD"+`"`) || strings.Contains(last, strings.Repeat("s", maxLoggedMethod+1)) {
		t.Errorf("the caller's names are not bounded and valid UTF-8: %s", last)
	}
}
