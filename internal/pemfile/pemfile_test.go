package pemfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/errbridge/errbridge/internal/pemfile"
	"github.com/errbridge/errbridge/server/servertest"
)

func TestCertPool(t *testing.T) {
	pki := servertest.NewPKI(t)
	pool, err := pemfile.CertPool(pki.CAFile)
	if err != nil || pool == nil {
		t.Fatalf("CertPool(CA) = %v, %v", pool, err)
	}
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notPEM, filepath.Join(t.TempDir(), "missing.pem")} {
		if _, err := pemfile.CertPool(path); err == nil {
			t.Errorf("CertPool(%s) succeeded", path)
		}
	}
}
