package proxy

import (
	"net/http"
	"strings"
)

// The proxy reads an error body only in a coding it can decode
// ([decodable]): identity or gzip. A caller that accepts others (curl
// --compressed asks for deflate, gzip, br and zstd) would otherwise let
// the upstream answer an error in br or zstd, which the engine could only
// call unparseable. So the request's Accept-Encoding keeps only the codings
// the proxy decodes, with their weights, and says identity when none is
// left; a caller always accepts identity unless it says otherwise, and one
// that refuses it gets what the upstream makes of that.

// restrictAcceptEncoding rewrites h's Accept-Encoding to the codings the
// proxy decodes; without the header, h is left as it is (the upstream then
// answers in identity).
func restrictAcceptEncoding(h http.Header) {
	vs, ok := h["Accept-Encoding"]
	if !ok {
		return
	}
	var kept []string
	changed := false
	for _, v := range vs {
		for elem := range strings.SplitSeq(v, ",") {
			elem = strings.TrimSpace(elem)
			if elem == "" {
				continue
			}
			name, _, _ := strings.Cut(elem, ";")
			if c := coding(name); c != "" && decodable(c) {
				kept = append(kept, elem)
			} else {
				changed = true
			}
		}
	}
	switch {
	case len(kept) == 0:
		h.Set("Accept-Encoding", "identity")
	case changed || len(vs) > 1:
		h.Set("Accept-Encoding", strings.Join(kept, ", "))
	}
}
