package proxy

import (
	"net/http"
	"testing"
)

// TestHeaderNamesAreCanonical: the proxy writes its headers into the map
// directly, which is right only for canonical names.
func TestHeaderNamesAreCanonical(t *testing.T) {
	t.Parallel()
	for _, h := range append(ownHeaders[:], headerRetryAfter, HeaderErrorBody) {
		if c := http.CanonicalHeaderKey(h); c != h {
			t.Errorf("%q is not canonical (%q)", h, c)
		}
	}
}
