package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testApp is an app with the given environment and stdin, and captured
// output.
type testApp struct {
	*app
	stdout, stderr *syncBuffer
}

func newTestApp(env map[string]string, stdin string) *testApp {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return &testApp{
		app: &app{
			stdin:  strings.NewReader(stdin),
			stdout: out,
			stderr: errOut,
			lookupEnv: func(k string) (string, bool) {
				v, ok := env[k]
				return v, ok
			},
		},
		stdout: out,
		stderr: errOut,
	}
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
