package proxy

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/errbridge/errbridge/internal/pemfile"
)

// transportConfig describes the proxy's own transport to the upstream.
type transportConfig struct {
	caFile                string
	dialTimeout           time.Duration
	tlsHandshakeTimeout   time.Duration
	responseHeaderTimeout time.Duration
	idleConnTimeout       time.Duration
	maxIdleConns          int
}

// newTransport builds an HTTP/1.1 and HTTP/2 transport that reuses
// connections to the one upstream. It never uses an environment proxy (only
// the upstream is reached) and never asks for compression on its own, so
// bodies pass exactly as the upstream sent them.
func newTransport(tc transportConfig) (*http.Transport, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if tc.caFile != "" {
		if err := pemfile.AppendCerts(roots, tc.caFile); err != nil {
			return nil, fmt.Errorf("proxy: upstream CAs: %w", err)
		}
	}
	dialer := &net.Dialer{Timeout: tc.dialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   tc.tlsHandshakeTimeout,
		ResponseHeaderTimeout: tc.responseHeaderTimeout,
		IdleConnTimeout:       tc.idleConnTimeout,
		MaxIdleConns:          tc.maxIdleConns,
		MaxIdleConnsPerHost:   tc.maxIdleConns,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     true,
	}, nil
}
