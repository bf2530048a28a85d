package translate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUTF8MemoMatchesValidString checks the memo against utf8.ValidString
// on valid and invalid strings, short and long, prefixes of one another
// (the same address, other lengths), repeated past the memo's size,
// through one memo and through none.
func TestUTF8MemoMatchesValidString(t *testing.T) {
	t.Parallel()
	var cases []string
	for i := range 2 * memoSlots {
		long := strings.Repeat("会议不存在", 1+i%5) + strings.Repeat("x", i)
		cases = append(cases, long, long[:len(long)-1], "short", "\xff", string(rune('a'+i%26))+"\xc3", long+"\xed\xa0\x80")
	}
	var memo UTF8Memo
	for round := range 3 {
		for _, s := range cases {
			want := utf8.ValidString(s)
			for _, m := range []*UTF8Memo{&memo, nil} {
				if got := m.Valid(s); got != want {
					t.Fatalf("round %d: Valid(%q) = %v, want %v", round, s, got, want)
				}
			}
			// An equal string in other memory gets the same answer.
			if got := memo.Valid(strings.Clone(s)); got != want {
				t.Fatalf("round %d: Valid of a copy of %q = %v, want %v", round, s, got, want)
			}
		}
	}
}
