package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/errbridge/errbridge/client"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// defaultHealthAddr is where health looks when told nothing: the port of
// ERRBRIDGE_LISTEN (so a container's HEALTHCHECK follows its server) on
// loopback, or 127.0.0.1:50051.
func (a *app) defaultHealthAddr() string {
	const fallback = "127.0.0.1:50051"
	listen, ok := a.lookupEnv(envName("", "listen"))
	if !ok || listen == "" {
		return fallback
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fallback
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// health calls grpc.health.v1 Check and exits 0 only when it says SERVING.
func (a *app) health(ctx context.Context, args []string) int {
	var addr, svc, caFile, certFile, keyFile, serverName string
	var useTLS bool
	var timeout time.Duration
	f := newFlagSet("health", "errbridge health [flags]")
	f.example = "Exits 0 when the server reports SERVING, 1 otherwise; for container health checks."
	str := func(p *string, name, def, usage string) {
		f.fs.StringVar(p, name, def, usage)
		f.bind(name, envName("HEALTH_", name))
	}
	str(&addr, "addr", a.defaultHealthAddr(), "the server's `address` (default: the port of ERRBRIDGE_LISTEN on 127.0.0.1)")
	str(&svc, "service", "", "the `service` to check; empty for the whole server")
	f.fs.DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	f.bind("timeout", envName("HEALTH_", "timeout"))
	f.fs.BoolVar(&useTLS, "tls", false, "connect with TLS (implied by the other --tls-* flags)")
	f.bind("tls", envName("HEALTH_", "tls"))
	str(&caFile, "tls-ca", "", "a PEM `file` of CAs that verify the server (default: the system roots)")
	str(&certFile, "tls-cert", "", "a PEM client certificate `file`, for mTLS")
	str(&keyFile, "tls-key", "", "the PEM private key `file` of --tls-cert")
	str(&serverName, "tls-server-name", "", "the `name` to verify the server's certificate against")
	if code, ok := a.parseFlags(f, args); !ok {
		return code
	}

	creds := insecure.NewCredentials()
	if useTLS || caFile != "" || certFile != "" || keyFile != "" || serverName != "" {
		var err error
		var tc credentials.TransportCredentials
		if tc, err = client.TLSCredentials(caFile, certFile, keyFile, serverName); err != nil {
			fmt.Fprintf(a.stderr, "errbridge health: %v\n", err)
			return exitUsage
		}
		creds = tc
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds), grpc.WithDisableRetry())
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge health: %v\n", err)
		return exitUsage
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: svc})
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge health: %s: %v\n", addr, err)
		return exitFailure
	}
	fmt.Fprintln(a.stdout, resp.GetStatus())
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return exitFailure
	}
	return exitOK
}
