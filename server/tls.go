package server

import (
	"crypto/tls"
	"fmt"

	"github.com/errbridge/errbridge/internal/pemfile"
	"google.golang.org/grpc/credentials"
)

// tlsCredentials reads the server's certificate and key, and the client CAs
// when mTLS is asked for.
func tlsCredentials(certFile, keyFile, clientCAFile string) (credentials.TransportCredentials, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("server: loading the TLS certificate: %w", err)
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	}
	if clientCAFile != "" {
		pool, err := pemfile.CertPool(clientCAFile)
		if err != nil {
			return nil, fmt.Errorf("server: client CAs: %w", err)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return credentials.NewTLS(cfg), nil
}
