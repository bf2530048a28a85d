package translate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// FuzzTranslate checks the engine's invariants on arbitrary responses: it
// never panics, the code is 1–16 (0 only for a success), an error has exactly
// one ErrorInfo, every string is valid UTF-8, the details are canonically
// encoded and the Status stays under MaxStatusBytes. The seed corpus is every
// golden input plus testdata/fuzz/FuzzTranslate.
func FuzzTranslate(f *testing.F) {
	for _, e := range Default().Catalog().Entries() {
		g := codeCase(e)
		f.Add(g.HTTPStatus, []byte(g.Body), g.Locale, g.Method, int32(0), "X-TC-Trace", "trace")
	}
	inputs, _ := filepath.Glob(filepath.Join("testdata", "malformed", "*.json"))
	for _, in := range inputs {
		raw, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		var g goldenCase
		if err := json.Unmarshal(raw, &g); err != nil {
			f.Fatal(err)
		}
		body := g.body(f)
		if len(body) > 4096 {
			body = body[:4096] // keep the corpus small; the golden test covers huge bodies
		}
		f.Add(g.HTTPStatus, body, g.Locale, g.Method, int32(errbridgev1.ApiFamily_value[g.Family]), "Gw-Trace-Id", "gw")
	}
	tr, err := New(WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, httpStatus int, body []byte, locale, method string, family int32, header, value string) {
		opts := &Options{
			Headers: map[string]string{header: value},
			Locale:  locale,
			Method:  method,
			Family:  errbridgev1.ApiFamily(family),
		}
		r := tr.Translate(httpStatus, body, opts)
		if err := checkInvariants(r); err != nil {
			t.Fatalf("status %d, body %q: %v", httpStatus, body, err)
		}
		if r.Code() == 0 && (httpStatus < 200 || httpStatus > 299) {
			t.Fatalf("OK for HTTP status %d", httpStatus)
		}
	})
}
