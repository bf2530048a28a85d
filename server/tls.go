package server

import (
	"crypto/tls"
	"fmt"

	"github.com/errbridge/errbridge/internal/pemfile"
	"google.golang.org/grpc/credentials"
)

// tlsCredentials are the gRPC port's credentials: [tlsConfig]'s settings.
func tlsCredentials(certFile, keyFile, clientCAFile string) (credentials.TransportCredentials, error) {
	cfg, err := tlsConfig(certFile, keyFile, clientCAFile)
	if err != nil {
		return nil, err
	}
	return credentials.NewTLS(cfg), nil
}

// tlsConfig reads the server's certificate and key, and the client CAs when
// mTLS is asked for. The gRPC port and the HTTP port serve with it alike.
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
