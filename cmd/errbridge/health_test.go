package main

import (
	"net"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
)

// closedAddr is a loopback address nobody listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	_ = lis.Close()
	return addr
}

func TestHealthCommand(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	plain := servertest.Start(t)
	tlsServer := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, ""))
	mtlsServer := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, pki.CAFile))
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		exit int
		out  string
	}{
		{"serving", []string{"--addr", plain.Addr}, nil, exitOK, "SERVING"},
		{"TranslatorService", []string{"--addr", plain.Addr, "--service", server.ServiceName}, nil, exitOK, "SERVING"},
		{"address from the environment", nil, map[string]string{"ERRBRIDGE_HEALTH_ADDR": plain.Addr}, exitOK, "SERVING"},
		{"address from ERRBRIDGE_LISTEN", nil, map[string]string{"ERRBRIDGE_LISTEN": ":" + port(t, plain.Addr)}, exitOK, "SERVING"},
		{"not serving", []string{"--addr", servertest.NotServing(t)}, nil, exitFailure, "NOT_SERVING"},
		{"unknown service", []string{"--addr", plain.Addr, "--service", "nope"}, nil, exitFailure, ""},
		{"nobody listening", []string{"--addr", closedAddr(t), "--timeout", "2s"}, nil, exitFailure, ""},
		{"TLS", []string{"--addr", tlsServer.Addr, "--tls-ca", pki.CAFile}, nil, exitOK, "SERVING"},
		{"TLS from the environment", []string{"--addr", tlsServer.Addr},
			map[string]string{"ERRBRIDGE_HEALTH_TLS": "true", "ERRBRIDGE_HEALTH_TLS_CA": pki.CAFile}, exitOK, "SERVING"},
		{"TLS server, plaintext check", []string{"--addr", tlsServer.Addr, "--timeout", "2s"}, nil, exitFailure, ""},
		{"mTLS", []string{"--addr", mtlsServer.Addr, "--tls-ca", pki.CAFile, "--tls-cert", pki.ClientCert, "--tls-key", pki.ClientKey}, nil, exitOK, "SERVING"},
		{"mTLS without a client certificate", []string{"--addr", mtlsServer.Addr, "--tls-ca", pki.CAFile, "--timeout", "2s"}, nil, exitFailure, ""},
		{"certificate without key", []string{"--addr", mtlsServer.Addr, "--tls-cert", pki.ClientCert}, nil, exitUsage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(tc.env, "")
			if got := a.run(testCtx(t), append([]string{"health"}, tc.args...)); got != tc.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, tc.exit, a.stderr)
			}
			if got := strings.TrimSpace(a.stdout.String()); got != tc.out {
				t.Errorf("stdout %q, want %q", got, tc.out)
			}
		})
	}
}

func port(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultHealthAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, listen, want string
	}{
		{"unset", "", "127.0.0.1:50051"},
		{"port only", ":9000", "127.0.0.1:9000"},
		{"any address", "0.0.0.0:9001", "127.0.0.1:9001"},
		{"any IPv6 address", "[::]:9002", "127.0.0.1:9002"},
		{"a host", "10.1.2.3:9003", "10.1.2.3:9003"},
		{"malformed", "nonsense", "127.0.0.1:50051"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			if tc.listen != "" {
				env["ERRBRIDGE_LISTEN"] = tc.listen
			}
			if got := newTestApp(env, "").defaultHealthAddr(); got != tc.want {
				t.Errorf("defaultHealthAddr() = %q, want %q", got, tc.want)
			}
		})
	}
}
