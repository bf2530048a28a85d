package translate

import (
	"unicode/utf8"
	"unsafe"
)

// UTF8Memo remembers the strings that one encoding has found to be valid
// UTF-8, so that the strings a batch repeats in every result of the same
// code (the catalogue's reasons, messages and domains, the details' type
// URLs) are checked once rather than once a result. It recognizes a string
// by its identity, the address and length of its bytes, in a table indexed
// by that address: a lookup costs the same however many different strings
// an encoding holds. An equal string held elsewhere is checked again. The
// zero value is empty; a nil *UTF8Memo checks every string.
type UTF8Memo struct {
	seen [memoSlots]string
}

// memoSlots is the size of the memo's table, a power of two: a batch of
// the whole catalogue's codes repeats more strings than a small table
// holds, and a miss costs a check of the string.
const memoSlots = 128

// memoMinLen is the shortest string the memo keeps: a shorter one is
// checked faster than it is looked up.
const memoMinLen = 16

// Valid reports whether s is valid UTF-8, as utf8.ValidString does.
func (m *UTF8Memo) Valid(s string) bool {
	if m == nil || len(s) < memoMinLen {
		return utf8.ValidString(s)
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	slot := &m.seen[(p>>3^p>>10^uintptr(len(s)))&(memoSlots-1)]
	if len(*slot) == len(s) && unsafe.StringData(*slot) == unsafe.StringData(s) {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	*slot = s
	return true
}
