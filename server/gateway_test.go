package server_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/pemfile"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
)

// connectTranslate makes one Connect JSON call of Translate on the HTTP
// port at base and returns the reason of the answer.
func connectTranslate(ctx context.Context, client *http.Client, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/"+server.ServiceName+"/Translate",
		strings.NewReader(`{"httpStatus":400,"body":"eyJlcnJvcl9pbmZvIjp7ImVycm9yX2NvZGUiOjkwMDN9fQ=="}`)) // {"error_info":{"error_code":9003}}
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	var out struct{ Reason string }
	if err := json.Unmarshal(body, &out); err != nil {
		return "", err
	}
	return out.Reason, nil
}

// TestShutdownDrainsHTTPCalls holds Translate calls on the HTTP port and
// the gRPC port, shuts the server down, and expects the HTTP port to close
// while the held calls of both ports run to completion, and then the gRPC
// port to refuse new calls.
func TestShutdownDrainsHTTPCalls(t *testing.T) {
	t.Parallel()
	const inFlight = 4
	g := newGate(2 * inFlight)
	s := servertest.Start(t, server.WithUnaryInterceptors(g.unary))
	base := s.ServeGateway(t)
	c := stub(t, s)
	ctx := callCtx(t)

	results := make(chan error, 2*inFlight)
	for range inFlight {
		go func() {
			reason, err := connectTranslate(ctx, &http.Client{Transport: &http.Transport{}}, base)
			if err == nil && reason != "MEETING_NOT_FOUND" {
				err = errors.New("HTTP: wrong reason " + reason)
			}
			results <- err
		}()
		go func() {
			_, err := c.Translate(ctx, servertestRequest())
			results <- err
		}()
	}
	for range 2 * inFlight {
		<-g.entered
	}

	shutdown := make(chan error, 1)
	go func() {
		sctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		shutdown <- s.Shutdown(sctx)
	}()

	httpAddr := strings.TrimPrefix(base, "http://")
	for i := 0; ; i++ {
		conn, err := net.DialTimeout("tcp", httpAddr, time.Second)
		if err != nil {
			break // the HTTP listener is closed
		}
		_ = conn.Close()
		if i == 200 {
			t.Fatal("the HTTP port still accepts connections while draining")
		}
		time.Sleep(25 * time.Millisecond)
	}
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned %v with calls in flight", err)
	default:
	}

	close(g.release)
	for i := range 2 * inFlight {
		if err := <-results; err != nil {
			t.Errorf("call %d in flight: %v", i, err)
		}
	}
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	waitRefused(t, s.Addr)
}

func servertestRequest() *errbridgev1.TranslateRequest {
	return &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")}
}

// TestGatewayTLS serves the HTTP port of servers with TLS and mTLS, which
// must use the gRPC port's certificates and client CAs alike: the settings
// New read, even when the files are gone by the time the HTTP port starts.
func TestGatewayTLS(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	tlsBase := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, "")).ServeGateway(t)
	mtlsBase := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, pki.CAFile)).ServeGateway(t)
	read := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, ""))
	for _, f := range []string{pki.ServerCert, pki.ServerKey} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	readBase := read.ServeGateway(t)
	roots, err := pemfile.CertPool(pki.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	clientCert, err := tls.LoadX509KeyPair(pki.ClientCert, pki.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	httpsClient := func(certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: roots, Certificates: certs, MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2: true,
		}}
	}
	for _, tc := range []struct {
		name   string
		base   string
		client *http.Client
		ok     bool
	}{
		{"TLS", strings.Replace(tlsBase, "http://", "https://", 1), httpsClient(), true},
		{"TLS, plaintext client", tlsBase, &http.Client{}, false},
		{"TLS, the files removed before the HTTP port started", strings.Replace(readBase, "http://", "https://", 1), httpsClient(), true},
		{"mTLS", strings.Replace(mtlsBase, "http://", "https://", 1), httpsClient(clientCert), true},
		{"mTLS without a client certificate", strings.Replace(mtlsBase, "http://", "https://", 1), httpsClient(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reason, err := connectTranslate(callCtx(t), tc.client, tc.base)
			if ok := err == nil && reason == "MEETING_NOT_FOUND"; ok != tc.ok {
				t.Errorf("Translate: %q, %v; want success %v", reason, err, tc.ok)
			}
		})
	}
}
