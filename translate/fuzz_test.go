package translate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
)

// FuzzTranslate checks the engine's invariants on arbitrary responses: it
// never panics, the code is 1–16 (0 only for a success), an error has exactly
// one ErrorInfo, every string is valid UTF-8, the details are canonically
// encoded and the Status stays under MaxStatusBytes; a Result the engine read
// in the body ([Result.BodyRead]) is the same with white space after the
// body. The seed corpus is every golden input plus
// testdata/fuzz/FuzzTranslate.
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
		// The header under a second spelling, with another value: the choice
		// between them must not depend on map order.
		opts := &Options{
			Headers: map[string]string{header: value, strings.ToLower(header): value + "-lower"},
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
		if again := tr.Translate(httpStatus, body, opts); !proto.Equal(again.Proto(), r.Proto()) {
			t.Fatalf("two translations of the same input differ:\n%v\n%v", r.Proto(), again.Proto())
		}
		// A Result read in the body is the same with JSON white space after
		// the body: the proxy reuses the translation of a streamed error
		// object when only white space followed it.
		if r.BodyRead() {
			padded := append(append([]byte(nil), body...), " \r\n\t"...)
			if again := tr.Translate(httpStatus, padded, opts); !proto.Equal(again.Proto(), r.Proto()) {
				t.Fatalf("status %d, body %q: white space after it changes the translation:\n%v\n%v", httpStatus, body, r.Proto(), again.Proto())
			}
		}
		for _, a := range r.Proto().GetDetails() {
			m, err := a.UnmarshalNew()
			if err != nil {
				t.Fatal(err)
			}
			if req, ok := m.(*errdetails.RequestInfo); ok {
				id := req.GetRequestId()
				if id == "" || len(id) > maxTraceBytes || strings.IndexFunc(id, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
					t.Fatalf("request_id %q is empty, over %d bytes or not printable", id, maxTraceBytes)
				}
			}
		}
		swapped := strings.Map(func(r rune) rune { // ASCII letters only: Unicode case maps "ı" to "I"
			switch {
			case r >= 'a' && r <= 'z':
				return r - 'a' + 'A'
			case r >= 'A' && r <= 'Z':
				return r - 'A' + 'a'
			}
			return r
		}, method)
		if (&Options{Method: method}).idempotent() != (&Options{Method: swapped}).idempotent() {
			t.Fatalf("method %q: idempotency depends on letter case", method)
		}
	})
}

// FuzzStringCode checks the rule for codes sent as JSON strings: a string
// code matches a catalogued REST code exactly when its decoded value is 1 to
// 18 plain ASCII decimal digits naming that code, and the same string
// written with every character as a JSON escape translates identically
// (matching and metadata alike).
func FuzzStringCode(f *testing.F) {
	for _, s := range []string{"9003", "09003", "9_003", "0x232Bp0", "0x1.194p13", "+9003", " 9003", "9003 ",
		"9003.0", "-1", "", "0", "190310", "٩٠٠٣", "９００３", "\x00", "99999999999999999999", "000000000000009003"} {
		f.Add(s)
	}
	tr, err := New(WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		f.Fatal(err)
	}
	rest := errbridgev1.ApiFamily_API_FAMILY_REST
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, "\uFFFD") // JSON strings hold UTF-8 text
		plain, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var esc strings.Builder
		esc.WriteByte('"')
		for _, r := range s {
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&esc, "\\u%04x", u)
			}
		}
		esc.WriteByte('"')

		want := tr.Catalog().Fallback(errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE)
		digits := len(s) >= 1 && len(s) <= 18 && strings.Trim(s, "0123456789") == ""
		if digits {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			if e, ok := tr.Catalog().Lookup(rest, n); ok && !e.IsSuccess() {
				want = e
			}
		}
		var results [2]*Result
		for i, code := range []string{string(plain), esc.String()} {
			r := tr.Translate(400, []byte(`{"error_info":{"error_code":`+code+`}}`), nil)
			if err := checkInvariants(r); err != nil {
				t.Fatalf("code %s: %v", code, err)
			}
			if r.Entry() != want {
				t.Fatalf("code %s matched %s, want %s", code, r.Entry().Name, want.Name)
			}
			if _, numeric := r.ErrorCode(); numeric != digits {
				t.Fatalf("code %s: numeric %v, want %v", code, numeric, digits)
			}
			results[i] = r
		}
		if !proto.Equal(results[0].Proto(), results[1].Proto()) {
			t.Fatalf("%q and its escaped form translate differently:\n%v\n%v", s, results[0].Proto(), results[1].Proto())
		}
	})
}
