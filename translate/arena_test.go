package translate

import (
	"path/filepath"
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestArenaMatchesTranslate translates every golden input of the catalogue,
// of the malformed and of the upstream cases, twice over, into one small
// Arena (so that it takes several chunks) and alone: the Results must be
// equal, and an Arena's Results must not share their dynamic details.
func TestArenaMatchesTranslate(t *testing.T) {
	tr := goldenTranslator(t)
	var cases []goldenCase
	for _, e := range tr.Catalog().Entries() {
		cases = append(cases, codeCase(e))
	}
	for _, dir := range []string{"malformed", "upstream"} {
		inputs, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, in := range inputs {
			cases = append(cases, readGoldenCase(t, in))
		}
	}
	cases = append(cases, cases...)
	a := NewArena(7)
	var inArena []*Result
	for _, g := range cases {
		got := tr.TranslateIn(a, g.HTTPStatus, g.body(t), g.options())
		want := tr.Translate(g.HTTPStatus, g.body(t), g.options())
		if err := checkInvariants(got); err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(got.Proto(), want.Proto()) {
			t.Fatalf("in an arena:\n%v\nalone:\n%v", got.Proto(), want.Proto())
		}
		if gotFacts, wantFacts := factsOf(got), factsOf(want); !reflect.DeepEqual(gotFacts, wantFacts) {
			t.Fatalf("in an arena: %+v\nalone: %+v", gotFacts, wantFacts)
		}
		inArena = append(inArena, got)
	}
	// Every Result still holds its own Status once the arena moved on.
	for i, r := range inArena {
		want := tr.Translate(cases[i].HTTPStatus, cases[i].body(t), cases[i].options())
		if !proto.Equal(r.Proto(), want.Proto()) {
			t.Fatalf("case %d changed after later translations:\n%v\nwant:\n%v", i, r.Proto(), want.Proto())
		}
	}
	var zero Arena // the zero Arena works too
	if r := tr.TranslateIn(&zero, 429, nil, nil); r.Reason() == "" || checkInvariants(r) != nil {
		t.Fatalf("the zero Arena gave %v", r.Proto())
	}
}

// resultFacts are what a Result's accessors return besides its Status.
type resultFacts struct {
	Entry, Reason, Domain, Family, Message any
	ErrorCode, NewErrorCode, RetryDelay    [2]any
	Localized                              [2]string
}

func factsOf(r *Result) resultFacts {
	var f resultFacts
	f.Entry, f.Reason, f.Domain, f.Family, f.Message = r.Entry(), r.Reason(), r.Domain(), r.Family(), r.Message()
	n, ok := r.ErrorCode()
	f.ErrorCode = [2]any{n, ok}
	n, ok = r.NewErrorCode()
	f.NewErrorCode = [2]any{n, ok}
	d, ok := r.RetryDelay()
	f.RetryDelay = [2]any{d, ok}
	f.Localized[0], f.Localized[1] = r.LocalizedMessage()
	return f
}

// TestArenaChunkSizes checks that chunks follow the translations left, and
// stay half the maximum beyond them and in the zero Arena, never shrinking
// to one translation each.
func TestArenaChunkSizes(t *testing.T) {
	a := NewArena(100)
	for i := range 200 {
		a.result()
		want := min(100-i, maxArenaChunk)
		if i >= 100 {
			want = maxArenaChunk / 2
		}
		if a.cur != want {
			t.Fatalf("translation %d: chunks sized for %d, want %d", i, a.cur, want)
		}
	}
	var zero Arena
	for i := range 100 {
		if zero.result(); zero.cur != maxArenaChunk/2 {
			t.Fatalf("zero Arena, translation %d: chunks sized for %d", i, zero.cur)
		}
	}
}
