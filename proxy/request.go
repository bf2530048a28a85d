package proxy

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// refuse says why a request is not forwarded, with the status to answer,
// or returns status 0.
func (p *Proxy) refuse(r *http.Request) (string, int) {
	switch {
	case r.Method == http.MethodConnect:
		return "CONNECT is not supported: requests go only to the configured upstream", http.StatusMethodNotAllowed
	case r.RequestURI == "*":
		return "the asterisk request target is not supported", http.StatusBadRequest
	case r.URL.Host != "" && !sameHost(r.URL, p.upstream):
		return "absolute-form request targets must name the upstream " + p.upstream.Host, http.StatusBadRequest
	case r.ContentLength > p.cfg.maxRequestBytes:
		return fmt.Sprintf("the request body of %d bytes exceeds the limit of %d bytes", r.ContentLength, p.cfg.maxRequestBytes), http.StatusRequestEntityTooLarge
	}
	return "", 0
}

// sameHost reports whether u names the upstream's host, and its port when
// u names one. A client configured to use the proxy as a forward proxy
// sends http://api.meeting.qq.com/… for an https upstream, hence no port
// check without a port.
func sameHost(u, upstream *url.URL) bool {
	if u.Port() == "" {
		return strings.EqualFold(u.Hostname(), upstream.Hostname())
	}
	return strings.EqualFold(hostPort(u), hostPort(upstream))
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// firstLanguage returns the first language tag of an Accept-Language value,
// for the LocalizedMessage detail; the engine ignores a malformed one.
func firstLanguage(v string) string {
	if v == "" {
		return ""
	}
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	if v == "*" || len(v) > 35 {
		return ""
	}
	return v
}
