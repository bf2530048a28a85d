package proxy

import "testing"

// TestIsJSON checks which Content-Types the proxy reads a 2xx body of.
func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"":                                true,
		"application/json":                true,
		"Application/JSON; charset=UTF-8": true,
		" application/json ;charset":      true,
		"application/problem+json":        true,
		"text/json":                       true,
		"text/plain; charset=utf-8":       true,
		"text/html":                       false,
		"application/octet-stream":        false,
		"application/jsonx":               false,
		"+json":                           false,
		"application/json-seq":            false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}
