package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/testing/protocmp"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// exampleOverlay is the README's worked example.
const exampleOverlay = "../examples/overlay/9007.textproto"

func newCodeSpec() *errbridgev1.ErrorSpec {
	return &errbridgev1.ErrorSpec{
		GrpcCode: code.Code_FAILED_PRECONDITION,
		Retry:    errbridgev1.RetryPolicy_RETRY_POLICY_NEVER,
		ZhCn:     "测试。",
		EnUs:     "A test code.",
	}
}

func TestReadOverlayReadsTheREADMEExample(t *testing.T) {
	t.Parallel()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.WithOverlayFile(exampleOverlay)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := o.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 9007)
	if !ok {
		t.Fatal("the overlay lacks 9007")
	}
	if e.Reason != "MEETING_CANCELLED" || e.Name != "REST_ERROR_CODE_MEETING_CANCELLED" || e.OverlayFile != "9007.textproto" {
		t.Errorf("9007 is %s (%s) from %q", e.Name, e.Reason, e.OverlayFile)
	}
	wantSource := errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY
	if _, builtin := c.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 9007); builtin {
		wantSource = errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY_REPLACEMENT
	}
	if e.Source != wantSource {
		t.Errorf("9007's source is %v, want %v", e.Source, wantSource)
	}
	if got, ok := o.LookupReason("MEETING_CANCELLED"); !ok || got != e {
		t.Error("LookupReason does not find the overlay entry")
	}
	if file, added, replaced := o.OverlayFile(); file != exampleOverlay || added+replaced != 1 {
		t.Errorf("OverlayFile() = %q, %d, %d", file, added, replaced)
	}
}

func TestWithOverlayAddsAndReplaces(t *testing.T) {
	t.Parallel()
	c := Default()
	replaced := newCodeSpec()
	replaced.EnUs = "The meeting is gone."
	ov := &errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999001, Reason: "TEST_ADDED", Spec: newCodeSpec()},
		{Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH, Code: 999002, Reason: "TEST_ADDED_OAUTH", Spec: newCodeSpec()},
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 9003, Spec: replaced},
	}}
	o, err := c.WithOverlay(ov, "/etc/errbridge/overlay.textproto")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(o.Entries()), len(c.Entries())+2; got != want {
		t.Fatalf("%d entries, want %d", got, want)
	}
	for i := 1; i < len(o.Entries()); i++ {
		a, b := o.Entries()[i-1], o.Entries()[i]
		if a.Family > b.Family || a.Family == b.Family && a.Code >= b.Code {
			t.Fatalf("entries out of order at %d: %s, %s", i, a.Name, b.Name)
		}
	}
	added, _ := o.Lookup(errbridgev1.ApiFamily_API_FAMILY_OAUTH, 999002)
	if added == nil || added.Name != "OAUTH_ERROR_CODE_TEST_ADDED_OAUTH" || added.Value != nil || added.OverlayFile != "overlay.textproto" {
		t.Errorf("the added OAuth entry is %+v", added)
	}
	e, _ := o.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 9003)
	builtin, _ := c.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 9003)
	if e == builtin || e.Reason != builtin.Reason || e.Name != builtin.Name || e.Value != builtin.Value ||
		e.Source != errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY_REPLACEMENT {
		t.Errorf("the replacement of 9003 is %+v", e)
	}
	if diff := cmp.Diff(replaced, e.Spec, protocmp.Transform()); diff != "" {
		t.Errorf("9003's spec (-want +got):\n%s", diff)
	}
	if r, _ := o.LookupReason(builtin.Reason); r != e {
		t.Error("the built-in reason does not lead to the replacement")
	}
	// The base catalogue is unchanged.
	if b, _ := c.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 9003); b != builtin || b.Source != errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_BUILTIN {
		t.Error("WithOverlay changed the base catalogue")
	}
	if _, ok := c.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, 999001); ok {
		t.Error("WithOverlay added to the base catalogue")
	}
	if _, added, replacedN := o.OverlayFile(); added != 2 || replacedN != 1 {
		t.Errorf("OverlayFile counts %d added, %d replaced", added, replacedN)
	}
}

func TestWithOverlayRejectsBadEntries(t *testing.T) {
	t.Parallel()
	rest := errbridgev1.ApiFamily_API_FAMILY_REST
	entry := func(mutate func(*errbridgev1.OverlayEntry)) *errbridgev1.OverlayEntry {
		e := &errbridgev1.OverlayEntry{Family: rest, Code: 999001, Reason: "TEST_ADDED", Spec: newCodeSpec()}
		mutate(e)
		return e
	}
	good := entry(func(*errbridgev1.OverlayEntry) {})
	for _, tc := range []struct {
		name    string
		entries []*errbridgev1.OverlayEntry
		index   int
		field   string
		text    string
	}{
		{"fallback family", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) {
			e.Family = errbridgev1.ApiFamily_API_FAMILY_FALLBACK
		})}, 0, "family", "cannot be overlaid"},
		{"no family", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Family = 0 })}, 0, "family", "cannot be overlaid"},
		{"code zero", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Code = 0 })}, 0, "code", "out of range"},
		{"code too large", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Code = 1 << 31 })}, 0, "code", "out of range"},
		{"no spec", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Spec = nil })}, 0, "spec", "required"},
		{"no reason for a new code", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Reason = "" })}, 0, "reason", "required"},
		{"malformed reason", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Reason = "test-added" })}, 0, "reason", "must match"},
		{"reason of a built-in code", []*errbridgev1.OverlayEntry{good, entry(func(e *errbridgev1.OverlayEntry) {
			e.Code, e.Reason = 999002, "MEETING_NOT_FOUND"
		})}, 1, "reason", "already the reason of REST_ERROR_CODE_MEETING_NOT_FOUND"},
		{"reason of a fallback", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Reason = "UNKNOWN_ERROR_CODE" })}, 0, "reason", "already the reason"},
		{"retired reason", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Reason = "USER_STATE_ERROR" })}, 0, "reason", "was retired"},
		{"reason of another entry", []*errbridgev1.OverlayEntry{good, entry(func(e *errbridgev1.OverlayEntry) { e.Code = 999002 })}, 1, "reason", "also the reason of entries[0]"},
		{"renamed replacement", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Code, e.Reason = 9003, "MEETING_GONE" })}, 0, "reason", "whose reason MEETING_NOT_FOUND stays"},
		{"same code twice", []*errbridgev1.OverlayEntry{good, entry(func(e *errbridgev1.OverlayEntry) { e.Reason = "TEST_OTHER" })}, 1, "code", "same family and code"},
		{"no en_us", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Spec.EnUs = "" })}, 0, "spec.en_us", "both required"},
		{"no retry policy", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Spec.Retry = 0 })}, 0, "spec.retry", "required"},
		{"fixed delay without delay", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) {
			e.Spec.Retry = errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY
		})}, 0, "spec.retry_delay", "positive retry_delay"},
		{"quota code without quota", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) {
			e.Spec.GrpcCode = code.Code_RESOURCE_EXHAUSTED
		})}, 0, "spec.quota", "exactly for RESOURCE_EXHAUSTED"},
		{"help link over http", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) {
			e.Spec.HelpUrl, e.Spec.HelpDescription = "http://example.com", "d"
		})}, 0, "spec.help_url", "https"},
		{"error mapped to OK", []*errbridgev1.OverlayEntry{entry(func(e *errbridgev1.OverlayEntry) { e.Spec.GrpcCode = code.Code_OK })}, 0, "spec.grpc_code", "1 to 16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Default().WithOverlay(&errbridgev1.CatalogOverlay{Entries: tc.entries}, "bad.textproto")
			var oe *OverlayError
			if !errors.As(err, &oe) {
				t.Fatalf("WithOverlay: %v, want an *OverlayError", err)
			}
			if oe.File != "bad.textproto" || oe.Index != tc.index || oe.Field != tc.field || oe.Code != tc.entries[tc.index].GetCode() {
				t.Errorf("error names %s entries[%d] %s, want entries[%d] %s", oe.File, oe.Index, oe.Field, tc.index, tc.field)
			}
			msg := err.Error()
			want := fmt.Sprintf("catalog overlay bad.textproto: entries[%d] (", tc.index)
			if !strings.HasPrefix(msg, want) || !strings.Contains(msg, tc.field+": ") || !strings.Contains(msg, tc.text) {
				t.Errorf("error %q lacks %q, the field %s or %q", msg, want, tc.field, tc.text)
			}
		})
	}
}

func TestWithOverlayReportsEveryFault(t *testing.T) {
	t.Parallel()
	ov := &errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999001, Spec: newCodeSpec()},
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999002, Reason: "FINE", Spec: newCodeSpec()},
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: -1, Reason: "NEGATIVE", Spec: newCodeSpec()},
	}}
	_, err := Default().WithOverlay(ov, "f.json")
	msg := fmt.Sprint(err)
	if !strings.Contains(msg, "entries[0] (rest 999001): reason:") || !strings.Contains(msg, "entries[2] (rest -1): code:") || strings.Contains(msg, "entries[1]") {
		t.Errorf("the error does not name exactly entries 0 and 2:\n%s", msg)
	}
}

func TestWithOverlayBoundsTheEntries(t *testing.T) {
	t.Parallel()
	ov := &errbridgev1.CatalogOverlay{}
	for i := range MaxOverlayEntries + 1 {
		ov.Entries = append(ov.Entries, &errbridgev1.OverlayEntry{
			Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: int64(900000 + i), Reason: fmt.Sprintf("TEST_%d", i), Spec: newCodeSpec(),
		})
	}
	if _, err := Default().WithOverlay(ov, "many.textproto"); err == nil || !strings.Contains(err.Error(), "at most 128") {
		t.Errorf("%d entries: %v", len(ov.Entries), err)
	}
	ov.Entries = ov.Entries[:MaxOverlayEntries]
	if _, err := Default().WithOverlay(ov, "many.textproto"); err != nil {
		t.Errorf("%d entries: %v", len(ov.Entries), err)
	}
}

func TestReadOverlayFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const text = `entries { family: API_FAMILY_REST code: 999001 reason: "TEST_ADDED" spec { grpc_code: NOT_FOUND retry: RETRY_POLICY_NEVER zh_cn: "测试。" en_us: "Test." } }`
	const json = `{"entries":[{"family":"API_FAMILY_REST","code":"999001","reason":"TEST_ADDED","spec":{"grpcCode":"NOT_FOUND","retry":"RETRY_POLICY_NEVER","zhCn":"测试。","enUs":"Test."}}]}`
	for _, tc := range []struct {
		name, file, content, wantErr string
	}{
		{"text format", "o.textproto", text, ""},
		{"txtpb", "o.txtpb", text, ""},
		{"json", "o.json", json, ""},
		{"json sniffed", "overlay.conf", "\n " + json, ""},
		{"text sniffed", "overlay.conf", text, ""},
		{"json with a text extension", "o.textproto", json, "catalog overlay "},
		{"unknown field", "o.textproto", `entries { family: API_FAMILY_REST colour: "red" }`, "colour"},
		{"syntax error", "o.json", `{"entries":[`, "catalog overlay "},
		{"too large", "o.textproto", strings.Repeat("#", MaxOverlayFileBytes+1), "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			ov, err := ReadOverlay(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
					t.Errorf("ReadOverlay: %v, want an error naming %s and %q", err, path, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e := ov.GetEntries(); len(e) != 1 || e[0].GetCode() != 999001 || e[0].GetSpec().GetGrpcCode() != code.Code_NOT_FOUND {
				t.Errorf("read %v", ov)
			}
		})
	}
	if _, err := ReadOverlay(filepath.Join(dir, "missing.textproto")); err == nil || !strings.Contains(err.Error(), "missing.textproto") {
		t.Errorf("a missing file: %v", err)
	}
}
