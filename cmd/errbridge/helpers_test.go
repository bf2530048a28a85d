package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/server/servertest"
)

// testApp is an app with the given environment and stdin, and captured
// output.
type testApp struct {
	*app
	stdout, stderr *servertest.Buffer
}

func newTestApp(env map[string]string, stdin string) *testApp {
	out, errOut := &servertest.Buffer{}, &servertest.Buffer{}
	return &testApp{
		app: &app{
			stdin:  strings.NewReader(stdin),
			stdout: out,
			stderr: errOut,
			lookupEnv: func(k string) (string, bool) {
				v, ok := env[k]
				if !ok && k == "ERRBRIDGE_HTTP_LISTEN" {
					// Off unless the test asks for it: its default, :8080,
					// is one port for every test running at once.
					return "off", true
				}
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
