package server

import (
	"crypto/tls"
	"fmt"

	"github.com/errbridge/errbridge/internal/pemfile"
)

// tlsConfig reads the server's certificate and key, and the client CAs when
// mTLS is asked for. New reads them once, and the gRPC port and the HTTP
// port serve with copies of the same settings.
func tlsConfig(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
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
	return cfg, nil
}
