package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRunShort runs the harness for one short round: every row completes
// without a failed request and the table names every row and target.
func TestRunShort(t *testing.T) {
	t.Parallel()
	rep, err := run(context.Background(), config{duration: 200 * time.Millisecond, rounds: 1, concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if res := rep.results[r]; len(res) != 1 || res[0].requests == 0 || res[0].p50 <= 0 {
			t.Errorf("row %v: %+v", r, res)
		}
	}
	md := rep.markdown()
	for _, want := range []string{"| bare | success |", "| errbridge | error |", "errbridge ÷ bare requests/s", "error − success p50"} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}
