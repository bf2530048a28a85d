package translate

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/code"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"
)

var update = flag.Bool("update", false, "rewrite the golden files from the engine's output")

// goldenNow is the fixed clock of the golden cases: 09:30:15.5 in UTC+8.
var goldenNow = time.Date(2026, 11, 26, 9, 30, 15, 500_000_000, chinaStandardTime)

func goldenTranslator(t testing.TB) *Translator {
	t.Helper()
	tr, err := New(WithClock(func() time.Time { return goldenNow }))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// goldenCase is one input of a golden test, as stored in testdata/*/*.json.
type goldenCase struct {
	HTTPStatus int               `json:"httpStatus"`
	Body       string            `json:"body"`
	BodyHex    string            `json:"bodyHex,omitempty"`  // for bodies that are not UTF-8
	Pad        string            `json:"pad,omitempty"`      // repeated padCount times in place of {PAD}
	PadCount   int               `json:"padCount,omitempty"` // to build huge bodies
	Headers    map[string]string `json:"headers,omitempty"`
	Locale     string            `json:"locale,omitempty"`
	Method     string            `json:"method,omitempty"`
	Idempotent bool              `json:"idempotent,omitempty"`
	Family     string            `json:"family,omitempty"`
	// Reason, when set, is the ErrorInfo reason the case must produce.
	Reason string `json:"reason,omitempty"`
	// Source says where the body was seen (testdata/upstream).
	Source string `json:"source,omitempty"`
}

func (g *goldenCase) body(t testing.TB) []byte {
	b := []byte(g.Body)
	if g.BodyHex != "" {
		if _, err := fmt.Sscanf(g.BodyHex, "%x", &b); err != nil {
			t.Fatalf("bodyHex: %v", err)
		}
	}
	if g.PadCount > 0 {
		b = []byte(strings.Replace(string(b), "{PAD}", strings.Repeat(g.Pad, g.PadCount), 1))
	}
	return b
}

func (g *goldenCase) options() *Options {
	return &Options{
		Headers:    g.Headers,
		Locale:     g.Locale,
		Method:     g.Method,
		Idempotent: g.Idempotent,
		Family:     errbridgev1.ApiFamily(errbridgev1.ApiFamily_value[g.Family]),
	}
}

// codeCase is the golden input of one catalogue entry: the body upstream
// sends for it, in its family's shape.
func codeCase(e *catalog.Entry) goldenCase {
	status := 400
	switch code.Code(e.Spec.GetGrpcCode()) {
	case code.Code_INTERNAL, code.Code_UNKNOWN, code.Code_UNAVAILABLE:
		status = 500
	}
	g := goldenCase{HTTPStatus: status, Locale: "zh-CN", Method: "GET"}
	msg, _ := json.Marshal(e.Spec.GetZhCn())
	switch e.Family {
	case errbridgev1.ApiFamily_API_FAMILY_REST:
		if e.IsSuccess() {
			g.HTTPStatus, g.Body = 200, `{"meeting_number":1,"meeting_info_list":[]}`
			break
		}
		g.Body = fmt.Sprintf(`{"error_info":{"error_code":%d,"new_error_code":%d,"message":%s}}`, e.Code, 200_000_000+e.Code, msg)
		g.Headers = map[string]string{"X-TC-Trace": fmt.Sprintf("trace-%d", e.Code)}
	case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
		if e.IsSuccess() {
			g.HTTPStatus = 200
		}
		g.Body = fmt.Sprintf(`{"code":%d,"message":%s,"nonce":"nonce-%d"}`, e.Code, msg, e.Code)
	default:
		switch errbridgev1.FallbackReason(e.Code) {
		case errbridgev1.FallbackReason_FALLBACK_REASON_UNKNOWN_ERROR_CODE:
			g.HTTPStatus, g.Body = 503, `{"error_info":{"error_code":123456,"message":"没见过"}}`
		case errbridgev1.FallbackReason_FALLBACK_REASON_UNPARSEABLE_BODY:
			g.HTTPStatus, g.Body = 502, "<html><body>502 Bad Gateway</body></html>"
		case errbridgev1.FallbackReason_FALLBACK_REASON_UNSPECIFIED:
			g.HTTPStatus, g.Body = 204, ""
		default: // an upstream failure: no response, the caller answers 502
			g.HTTPStatus, g.Method = 502, "POST"
		}
	}
	return g
}

// upstreamFailure reports whether e is a fallback reason for a request that
// got no response (its code is fixed, not read from an HTTP status), which
// [Translator.TranslateFailure] reports.
func upstreamFailure(e *catalog.Entry) bool {
	return e.Family == errbridgev1.ApiFamily_API_FAMILY_FALLBACK && !e.IsSuccess() && !e.Spec.GetCodeFromHttpStatus()
}

// TestGoldenCodes walks every catalogue entry, translates its golden input
// and compares the Status with testdata/codes/<NAME>.golden. A new code
// without a golden file fails here.
func TestGoldenCodes(t *testing.T) {
	tr := goldenTranslator(t)
	entries := tr.Catalog().Entries()
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			g := codeCase(e)
			r := tr.Translate(g.HTTPStatus, g.body(t), g.options())
			if upstreamFailure(e) {
				r = tr.TranslateFailure(errbridgev1.FallbackReason(e.Code), g.HTTPStatus, g.options())
			}
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			want := e
			if e.Family == errbridgev1.ApiFamily_API_FAMILY_FALLBACK && e.IsSuccess() {
				// Never reported: a success of unknown shape reads as REST's.
				want, _ = tr.Catalog().Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 0)
			}
			if r.Entry() != want {
				t.Errorf("matched %s, want %s", r.Entry().Name, want.Name)
			}
			compareGolden(t, filepath.Join("testdata", "codes", e.Name+".golden"), r)
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "codes", "*.golden"))
	if len(files) != len(entries) {
		t.Errorf("testdata/codes has %d golden files for %d catalogue entries: remove stale ones", len(files), len(entries))
	}
}

// TestGoldenMalformed translates every input in testdata/malformed.
func TestGoldenMalformed(t *testing.T) {
	testGoldenDir(t, "malformed", 25)
}

// TestGoldenUpstream translates every input in testdata/upstream: bodies in
// the shapes seen in real responses and official material, one for every code
// added or corrected after the second survey of upstream, each naming the
// reason it must produce and where it was seen.
func TestGoldenUpstream(t *testing.T) {
	testGoldenDir(t, "upstream", 21)
}

// readGoldenCase reads one input of a golden directory.
func readGoldenCase(t testing.TB, path string) goldenCase {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g goldenCase
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// testGoldenDir translates every input in testdata/dir, of which there must
// be at least least, and compares each with its golden file.
func testGoldenDir(t *testing.T, dir string, least int) {
	tr := goldenTranslator(t)
	inputs, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < least {
		t.Fatalf("%d cases in testdata/%s, want at least %d", len(inputs), dir, least)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := readGoldenCase(t, in)
			if dir == "upstream" && (g.Reason == "" || g.Source == "") {
				t.Fatalf("%s: an upstream case names its reason and its source", in)
			}
			r := tr.Translate(g.HTTPStatus, g.body(t), g.options())
			if err := checkInvariants(r); err != nil {
				t.Fatal(err)
			}
			if g.Reason != "" && r.Reason() != g.Reason {
				t.Errorf("reason %q, want %q", r.Reason(), g.Reason)
			}
			compareGolden(t, strings.TrimSuffix(in, ".json")+".golden", r)
		})
	}
}

// canonicalJSON renders a Status as a golden file: protojson's output, whose
// spacing protojson randomises on purpose, re-indented by encoding/json, so
// the same Status always gives the same bytes.
func canonicalJSON(st *spb.Status) ([]byte, error) {
	out, err := protojson.Marshal(st)
	if err != nil {
		return nil, err
	}
	var compact, indented bytes.Buffer
	if err := json.Compact(&compact, out); err != nil {
		return nil, err
	}
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')
	return indented.Bytes(), nil
}

// compareGolden compares r with the golden file at path, or with -update
// writes it when its content differs. A golden file must also be in the
// canonical form, so that -update on unchanged code changes nothing.
func compareGolden(t *testing.T, path string, r *Result) {
	t.Helper()
	out, err := canonicalJSON(r.Proto())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if *update {
		if err == nil && bytes.Equal(raw, out) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%v (run go test ./translate -run Golden -update to create it)", err)
	}
	want := new(spb.Status)
	if err := protojson.Unmarshal(raw, want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if diff := cmp.Diff(want, r.Proto(), protocmp.Transform()); diff != "" {
		t.Errorf("%s mismatch (-golden +got):\n%s", path, diff)
		return
	}
	if !bytes.Equal(raw, out) {
		t.Errorf("%s is not in the canonical form: run go test ./translate -run Golden -update", path)
	}
}
