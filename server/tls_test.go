package server_test

import (
	"testing"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

func TestTLS(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	otherPKI := servertest.NewPKI(t)
	tlsServer := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, ""))
	mtlsServer := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, pki.CAFile))

	creds := func(ca, cert, key string) credentials.TransportCredentials {
		t.Helper()
		c, err := client.TLSCredentials(ca, cert, key, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		server *servertest.Server
		creds  credentials.TransportCredentials
		ok     bool
	}{
		{"TLS", tlsServer, creds(pki.CAFile, "", ""), true},
		{"TLS with an unneeded client certificate", tlsServer, creds(pki.CAFile, pki.ClientCert, pki.ClientKey), true},
		{"TLS, plaintext client", tlsServer, insecure.NewCredentials(), false},
		{"TLS, server of an unknown CA", tlsServer, creds(otherPKI.CAFile, "", ""), false},
		{"mTLS", mtlsServer, creds(pki.CAFile, pki.ClientCert, pki.ClientKey), true},
		{"mTLS without a client certificate", mtlsServer, creds(pki.CAFile, "", ""), false},
		{"mTLS, client of an unknown CA", mtlsServer, creds(pki.CAFile, otherPKI.ClientCert, otherPKI.ClientKey), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn := tc.server.Dial(t, grpc.WithTransportCredentials(tc.creds))
			_, err := errbridgev1.NewTranslatorServiceClient(conn).Translate(callCtx(t),
				&errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("9003")})
			if (err == nil) != tc.ok {
				t.Errorf("Translate: %v; want success %v", err, tc.ok)
			}
		})
	}
}

func TestTLSFilesAreChecked(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	for _, tc := range []struct {
		name          string
		cert, key, ca string
	}{
		{"missing certificate", pki.ServerCert + ".missing", pki.ServerKey, ""},
		{"key of another certificate", pki.ServerCert, pki.ClientKey, ""},
		{"missing client CA", pki.ServerCert, pki.ServerKey, pki.CAFile + ".missing"},
		{"client CA without PEM", pki.ServerCert, pki.ServerKey, pki.ServerKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := server.New(server.WithTLSFiles(tc.cert, tc.key, tc.ca)); err == nil {
				t.Error("server.New accepted the files")
			}
		})
	}
}
