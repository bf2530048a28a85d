// Package pemfile reads the PEM files that TLS settings name.
package pemfile

import (
	"crypto/x509"
	"fmt"
	"os"
)

// CertPool reads the PEM certificates in path into a new pool. It fails when
// the file cannot be read or holds no PEM certificate.
func CertPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA file %s holds no PEM certificate", path)
	}
	return pool, nil
}
