package translate

import "unicode/utf8"

// UTF8Memo remembers the strings that one encoding has found to be valid
// UTF-8, so that the strings a batch repeats in every result of the same
// code (the catalogue's reasons, messages and domains, the details' type
// URLs) are checked once rather than once a result. It recognizes a string
// by comparing it with those it holds, which for the same catalogue string
// is a comparison of lengths and pointers. The zero value is empty; a nil
// *UTF8Memo checks every string.
type UTF8Memo struct {
	seen [16]string
	next int
}

// memoMinLen is the shortest string the memo keeps: a shorter one is
// checked faster than it is looked up.
const memoMinLen = 16

// Valid reports whether s is valid UTF-8, as utf8.ValidString does.
func (m *UTF8Memo) Valid(s string) bool {
	if m == nil || len(s) < memoMinLen {
		return utf8.ValidString(s)
	}
	for _, v := range &m.seen {
		if v == s {
			return true
		}
	}
	if !utf8.ValidString(s) {
		return false
	}
	m.seen[m.next] = s
	m.next = (m.next + 1) % len(m.seen)
	return true
}
