package proxy

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/http"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/grpc/codes"
)

// failure is how the upstream failed to answer.
type failure struct {
	reason errbridgev1.FallbackReason
	status int  // the proxy's answer: 502 or 504
	unsent bool // the request provably never reached the upstream
	cause  string
}

// classify reads a transport error: a TLS failure, a timeout, a connection
// that was never made, or one that broke.
func classify(err error) failure {
	var (
		opErr    *net.OpError
		dnsErr   *net.DNSError
		netErr   net.Error
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	isOp := errors.As(err, &opErr)
	dialed := isOp && opErr.Op == "dial" || errors.As(err, &dnsErr)
	// The upstream refused the handshake: crypto/tls reports its alert as
	// a "remote error" (tls.AlertError wraps alerts only under QUIC). It
	// never read the request, whatever TLS 1.3 let the proxy write.
	refusedHandshake := isOp && opErr.Op == "remote error"
	switch {
	case refusedHandshake, errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert),
		errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		return failure{errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TLS_FAILED, http.StatusBadGateway, true, "tls"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return failure{errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_TIMEOUT, http.StatusGatewayTimeout, dialed, "timeout"}
	case dialed:
		return failure{errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE, http.StatusBadGateway, true, "connect"}
	}
	return failure{errbridgev1.FallbackReason_FALLBACK_REASON_UPSTREAM_UNREACHABLE, http.StatusBadGateway, false, "connection broken"}
}

// handleError answers a request whose upstream round trip failed, or whose
// error body could not be read.
func (p *Proxy) handleError(w http.ResponseWriter, req *http.Request, err error) {
	x := exchangeOf(req.Context())
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge): // refused like the other bad requests: not counted
		http.Error(w, "errbridge proxy: the request body exceeds the limit of "+itoa(tooLarge.Limit)+" bytes", http.StatusRequestEntityTooLarge)
		return
	case errors.Is(req.Context().Err(), context.Canceled):
		p.metrics.count(codes.Canceled, "") // the caller went away
		w.WriteHeader(499)
		return
	}
	f := classify(err)
	opts := &translate.Options{Method: x.method, Locale: x.locale, Idempotent: f.unsent}
	r := p.translator.Load().TranslateFailure(f.reason, f.status, opts)
	h := w.Header()
	setStatusHeaders(h, r)
	var body []byte
	if x.mode == ErrorBodyGoogle {
		body = googleBody(r, f.status)
	} else {
		// No upstream body exists: the SDKs' own envelope is what the
		// upstream and sdk modes' callers read.
		body = sdkBody(nil, r, f.status)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", itoa(int64(len(body))))
	w.WriteHeader(f.status)
	_, _ = w.Write(body)
	p.metrics.count(r.Code(), r.Reason())
	p.logTranslated(req, x, r, 0, slog.String("upstream_failure", f.cause))
}
