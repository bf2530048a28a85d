package client

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/errbridge/errbridge/internal/pemfile"
	"google.golang.org/grpc/credentials"
)

// TLSCredentials returns TLS credentials from PEM files: caFile holds the
// CAs that verify the server (the system roots when empty), certFile and
// keyFile the client's certificate for mTLS (both or neither), and
// serverName, when set, overrides the name the server's certificate is
// checked against.
func TLSCredentials(caFile, certFile, keyFile, serverName string) (credentials.TransportCredentials, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if caFile != "" {
		pool, err := pemfile.CertPool(caFile)
		if err != nil {
			return nil, fmt.Errorf("client: server CAs: %w", err)
		}
		cfg.RootCAs = pool
	}
	switch {
	case certFile != "" && keyFile != "":
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("client: loading the client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	case certFile != "" || keyFile != "":
		return nil, errors.New("client: a client certificate needs both its certificate and key files")
	}
	return credentials.NewTLS(cfg), nil
}
