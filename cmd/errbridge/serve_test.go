package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeFlagPrecedence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		listen  string
		batch   int
		timeout time.Duration
		permit  bool
	}{
		{"defaults", nil, nil, ":50051", 1000, 10 * time.Second, true},
		{"environment beats defaults", nil,
			map[string]string{"ERRBRIDGE_LISTEN": "127.0.0.1:7000", "ERRBRIDGE_MAX_BATCH": "5", "ERRBRIDGE_SHUTDOWN_TIMEOUT": "3s", "ERRBRIDGE_KEEPALIVE_PERMIT_WITHOUT_STREAM": "false"},
			"127.0.0.1:7000", 5, 3 * time.Second, false},
		{"flags beat the environment", []string{"--listen", ":8000", "--max-batch=7", "--shutdown-timeout", "1m", "--keepalive-permit-without-stream=true"},
			map[string]string{"ERRBRIDGE_LISTEN": "127.0.0.1:7000", "ERRBRIDGE_MAX_BATCH": "5", "ERRBRIDGE_SHUTDOWN_TIMEOUT": "3s", "ERRBRIDGE_KEEPALIVE_PERMIT_WITHOUT_STREAM": "false"},
			":8000", 7, time.Minute, true},
		{"mixed", []string{"--max-batch", "9"}, map[string]string{"ERRBRIDGE_LISTEN": ":7100"}, ":7100", 9, 10 * time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var sf serveFlags
			f := sf.flagSet()
			err := f.parse(tc.args, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if err != nil {
				t.Fatal(err)
			}
			if sf.listen != tc.listen || sf.maxBatch != tc.batch || sf.drain.timeout != tc.timeout || sf.keepalivePermit != tc.permit {
				t.Errorf("listen %q batch %d timeout %v permit %v; want %q %d %v %v",
					sf.listen, sf.maxBatch, sf.drain.timeout, sf.keepalivePermit, tc.listen, tc.batch, tc.timeout, tc.permit)
			}
		})
	}
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		exit   int
		stderr string
	}{
		{"unknown flag", []string{"--colour", "blue"}, nil, exitUsage, "colour"},
		{"stray argument", []string{"now"}, nil, exitUsage, "now"},
		{"bad environment value", nil, map[string]string{"ERRBRIDGE_MAX_BATCH": "many"}, exitUsage, "ERRBRIDGE_MAX_BATCH"},
		{"bad time zone", []string{"--quota-timezone", "Nowhere/Special"}, nil, exitUsage, "time zone"},
		{"bad locale", []string{"--default-locale", "!!"}, nil, exitUsage, "locale"},
		{"bad log level", []string{"--log-level", "loud"}, nil, exitUsage, "log level"},
		{"client CA without a certificate", []string{"--tls-client-ca", "ca.pem"}, nil, exitUsage, "--tls-cert"},
		{"missing certificate files", []string{"--tls-cert", "missing.pem", "--tls-key", "missing-key.pem"}, nil, exitFailure, "TLS"},
		{"zero batch", []string{"--max-batch", "0"}, nil, exitFailure, "batch"},
		{"too many stream workers", []string{"--stream-workers", "5000"}, nil, exitUsage, "--stream-workers"},
		{"negative drain delay", []string{"--drain-delay", "-1s"}, nil, exitUsage, "--drain-delay"},
		{"budget under one receive", []string{"--memory-budget", "1048576"}, nil, exitFailure, "memory budget"},
		{"zero batch bytes", []string{"--max-batch-bytes", "0"}, nil, exitFailure, "batch bytes"},
		{"bad listen address", []string{"--listen", "127.0.0.1:99999"}, nil, exitFailure, "cannot listen"},
		{"bad HTTP listen address", []string{"--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:99999"}, nil, exitFailure, "cannot listen for HTTP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(tc.env, "")
			if got := a.run(testCtx(t), append([]string{"serve"}, tc.args...)); got != tc.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, tc.exit, a.stderr)
			}
			if !strings.Contains(a.stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", a.stderr, tc.stderr)
			}
		})
	}
}

func TestServeCommand(t *testing.T) {
	t.Parallel()
	a := newTestApp(map[string]string{"ERRBRIDGE_METRICS_LISTEN": "127.0.0.1:0", "ERRBRIDGE_HTTP_LISTEN": "127.0.0.1:0", "ERRBRIDGE_DRAIN_DELAY": "200ms"}, "")
	addrs := make(chan [3]net.Addr, 1)
	a.ready = func(grpcAddr, metricsAddr, httpAddr net.Addr) { addrs <- [3]net.Addr{grpcAddr, metricsAddr, httpAddr} }
	ctx, stop := context.WithCancel(testCtx(t))
	defer stop()
	exit := make(chan int, 1)
	go func() { exit <- a.run(ctx, []string{"--listen", "127.0.0.1:0", "--shutdown-timeout", "20s"}) }()

	var got [3]net.Addr
	select {
	case got = <-addrs:
	case code := <-exit:
		t.Fatalf("serve exited with %d:\n%s", code, a.stderr)
	}
	if got[1] == nil || got[2] == nil {
		t.Fatalf("metrics or HTTP are off although ERRBRIDGE_METRICS_LISTEN and ERRBRIDGE_HTTP_LISTEN are set: %v", got)
	}

	h := newTestApp(nil, "")
	if code := h.run(testCtx(t), []string{"health", "--addr", got[0].String()}); code != exitOK {
		t.Errorf("health: exit %d\n%s", code, h.stderr)
	}
	page, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, "http://"+got[2].String()+"/", nil)
	if resp, err := http.DefaultClient.Do(page); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET / on the HTTP port: %v, %v", resp, err)
	} else {
		_ = resp.Body.Close()
	}
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, "http://"+got[1].String()+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !strings.Contains(string(body), "errbridge_grpc_server_handled_total") {
		t.Errorf("metrics lack the call counter:\n%.500s", body)
	}

	stop() // what SIGTERM does
	if code := <-exit; code != exitOK {
		t.Errorf("serve exit %d", code)
	}
	logs := a.stderr.String()
	for _, want := range []string{`"msg":"serving"`, `"msg":"draining"`, `"delay":"200ms"`, `"msg":"drain delay over: no longer accepting calls"`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestServeHTTPListenFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		listen string
		on     bool
	}{
		{"default", nil, nil, ":8080", true},
		{"environment", nil, map[string]string{"ERRBRIDGE_HTTP_LISTEN": "127.0.0.1:9000"}, "127.0.0.1:9000", true},
		{"off from the environment", nil, map[string]string{"ERRBRIDGE_HTTP_LISTEN": "off"}, "off", false},
		{"flag beats the environment", []string{"--http-listen", "OFF"}, map[string]string{"ERRBRIDGE_HTTP_LISTEN": ":9000"}, "OFF", false},
		{"empty is off", []string{"--http-listen="}, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var sf serveFlags
			if err := sf.flagSet().parse(tc.args, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }); err != nil {
				t.Fatal(err)
			}
			if sf.httpListen != tc.listen || httpOn(sf.httpListen) != tc.on {
				t.Errorf("--http-listen %q (on: %v), want %q (on: %v)", sf.httpListen, httpOn(sf.httpListen), tc.listen, tc.on)
			}
		})
	}
}
