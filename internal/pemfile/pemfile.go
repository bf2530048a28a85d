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
	pool := x509.NewCertPool()
	if err := AppendCerts(pool, path); err != nil {
		return nil, err
	}
	return pool, nil
}

// AppendCerts adds the PEM certificates in path to pool, e.g. to the system
// roots. It fails when the file cannot be read or holds no PEM certificate.
func AppendCerts(pool *x509.CertPool, path string) error {
	pem, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the CA file: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("the CA file %s holds no PEM certificate", path)
	}
	return nil
}
