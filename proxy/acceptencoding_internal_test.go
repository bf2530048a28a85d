package proxy

import (
	"net/http"
	"testing"
)

// TestRestrictAcceptEncoding: the upstream is asked only for codings the
// proxy decodes, with the caller's weights, and for identity when the
// caller named none of them.
func TestRestrictAcceptEncoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []string // nil: no header
		want []string
	}{
		{nil, nil},
		{[]string{"gzip"}, []string{"gzip"}},
		{[]string{"deflate, gzip, br, zstd"}, []string{"gzip"}}, // curl --compressed
		{[]string{"gzip, deflate, br"}, []string{"gzip"}},       // browsers
		{[]string{"br;q=1.0, GZIP;q=0.5, identity;q=0.1"}, []string{"GZIP;q=0.5, identity;q=0.1"}},
		{[]string{"br"}, []string{"identity"}},
		{[]string{"*"}, []string{"identity"}},
		{[]string{""}, []string{"identity"}},
		{[]string{"gzip", "identity;q=0.5"}, []string{"gzip, identity;q=0.5"}},
		{[]string{" x-gzip ; q=0.8 ,, zstd"}, []string{"x-gzip ; q=0.8"}},
		{[]string{";q=1, gzip"}, []string{"gzip"}}, // no coding at all: dropped, not taken for identity
	} {
		h := http.Header{}
		if tc.in != nil {
			h["Accept-Encoding"] = tc.in
		}
		restrictAcceptEncoding(h)
		got := h["Accept-Encoding"]
		if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
			t.Errorf("Accept-Encoding %q became %q, want %q", tc.in, got, tc.want)
		}
	}
}
