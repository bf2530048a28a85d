package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/translate"
)

// TestWatchDrain runs --watch-drain and drains the server once the probe
// says it is watching.
func TestWatchDrain(t *testing.T) {
	t.Parallel()
	srv := servertest.Start(t)
	r, w := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		defer w.Close()
		done <- run(context.Background(), []string{"--addr", srv.Addr, "--watch-drain"}, w, &stderr)
	}()
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, sc.Text())
		if sc.Text() == "watch: SERVING" {
			go func() { _ = srv.Shutdown(context.Background()) }()
		}
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d; stdout %q; stderr: %s", code, out, stderr.String())
	}
	if last := out[len(out)-1]; last != "watch: NOT_SERVING (draining)" {
		t.Errorf("last line %q, want the drain", last)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		addr     func(t *testing.T) string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{
			name:     "serving",
			addr:     func(t *testing.T) string { return servertest.Start(t).Addr },
			wantOut:  []string{"health: SERVING", "translate: code 5 reason", "translate: matches the in-process engine"},
			wantCode: 0,
		},
		{
			name:     "not serving",
			addr:     func(t *testing.T) string { return servertest.NotServing(t) },
			wantOut:  []string{"health: NOT_SERVING"},
			wantErr:  "health: not SERVING",
			wantCode: 1,
		},
		{
			name: "answer differs from the engine",
			addr: func(t *testing.T) string {
				tr, err := translate.New(translate.WithDomain("other.example"))
				if err != nil {
					t.Fatal(err)
				}
				return servertest.Start(t, server.WithTranslator(tr)).Addr
			},
			wantOut:  []string{"health: SERVING"},
			wantErr:  "differs from the engine's",
			wantCode: 1,
		},
		{
			name:     "nothing listening",
			addr:     func(*testing.T) string { return "127.0.0.1:1" },
			args:     []string{"--timeout", "2s"},
			wantErr:  "health:",
			wantCode: 1,
		},
		{
			name:     "bad flag",
			args:     []string{"--nope"},
			wantErr:  "flag provided but not defined",
			wantCode: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if tt.addr != nil {
				args = append([]string{"--addr", tt.addr(t)}, args...)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout %q lacks %q", stdout.String(), s)
				}
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantErr)
			}
		})
	}
}
