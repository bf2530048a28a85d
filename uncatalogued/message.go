package uncatalogued

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessageBytes bounds the upstream message of a first-seen line.
const MaxMessageBytes = 128

// Sanitize returns at most max bytes of s as printable text: invalid UTF-8
// and other non-printable characters (control characters, format
// characters such as bidi overrides) are dropped, any kind of white space
// (CR, LF, tab, ideographic space) becomes one ASCII space, and the cut falls
// on a rune boundary.
func Sanitize(s string, max int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case unicode.IsSpace(r):
			r = ' '
		case !unicode.IsPrint(r):
			continue
		}
		if b.Len()+utf8.RuneLen(r) > max {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}
