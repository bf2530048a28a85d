package translate

import (
	"bytes"
	"math"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Bounds of what is copied from an upstream body into a Status; together they
// keep every Status under MaxStatusBytes.
const (
	maxMessageBytes = 512 // ErrorInfo metadata "upstreamMessage"
	maxExcerptBytes = 256 // ErrorInfo metadata "bodyExcerpt"
	maxRawCodeBytes = 64  // a non-numeric "errorCode" or "newErrorCode"
	maxTraceBytes   = 128 // RequestInfo.request_id and metadata "nonce"
)

// ellipsis marks a value cut to its bound.
const ellipsis = "…"

// appendText appends the string value at sp, unescaped when it is a JSON
// string, as valid UTF-8 of at most limit bytes (ending in an ellipsis when
// cut). Invalid UTF-8 and lone surrogates become U+FFFD.
func appendText(dst []byte, data []byte, sp span, limit int) []byte {
	raw := data[sp.start:sp.end]
	valid := utf8.Valid(raw)
	if sp.kind == 's' && !valid {
		raw = fromGB18030(raw)
		valid = utf8.Valid(raw)
	}
	if sp.kind != 's' || !sp.escaped {
		if valid && len(raw) <= limit {
			return append(dst, raw...)
		}
		return appendValid(dst, raw, limit)
	}
	out := boundedText{dst: dst, start: len(dst), cut: len(dst), limit: limit}
	for i := 0; i < len(raw); {
		var r rune
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			r, i = unescape(raw, i)
		case c < utf8.RuneSelf:
			r, i = rune(c), i+1
		default:
			var n int
			r, n = utf8.DecodeRune(raw[i:])
			i += n
		}
		var ok bool
		if out, ok = out.add(r); !ok {
			return out.cutShort()
		}
	}
	return out.dst
}

// boundedText appends runes to dst[:start] while they fit in limit bytes,
// remembering where to cut for an ellipsis if a later one does not.
type boundedText struct {
	dst               []byte
	start, cut, limit int // cut: the end of the longest prefix that leaves room for the ellipsis
}

// add appends r, or reports false when r would take the text over its
// limit. (Value receivers keep the caller's stack buffer off the heap.)
func (b boundedText) add(r rune) (boundedText, bool) {
	if len(b.dst)-b.start+utf8.RuneLen(r) > b.limit {
		return b, false
	}
	b.dst = utf8.AppendRune(b.dst, r)
	if len(b.dst)-b.start <= b.limit-len(ellipsis) {
		b.cut = len(b.dst)
	}
	return b, true
}

// addASCII appends the ASCII characters of run that fit, each one byte and
// one character, and reports false when not all of them did.
func (b boundedText) addASCII(run string) (boundedText, bool) {
	room := b.limit - (len(b.dst) - b.start)
	fits := len(run) <= room
	if !fits {
		run = run[:max(room, 0)]
	}
	from := len(b.dst)
	b.dst = append(b.dst, run...)
	if end := b.start + b.limit - len(ellipsis); len(b.dst) <= end {
		b.cut = len(b.dst)
	} else if end >= from {
		b.cut = end // in the run, where every byte ends a character
	}
	return b, fits
}

// cutShort returns the text cut to leave room for an ellipsis, and the ellipsis.
func (b boundedText) cutShort() []byte { return append(b.dst[:b.cut], ellipsis...) }

// fromGB18030 returns raw decoded from GB18030 (a superset of GBK and
// GB2312) when that decodes it cleanly: Chinese proxies and old gateways
// still send such bodies. Otherwise it returns raw unchanged, and its
// invalid bytes become U+FFFD on output.
func fromGB18030(raw []byte) []byte {
	if len(raw) > 4*maxMessageBytes {
		raw = raw[:4*maxMessageBytes] // only the bounded prefix is ever shown
	}
	decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || bytes.ContainsRune(decoded, utf8.RuneError) {
		return raw
	}
	return decoded
}

// unescape decodes the escape at raw[i] (a backslash) and returns the rune
// and the index after it. The scanner has checked the escape's syntax.
func unescape(raw []byte, i int) (rune, int) {
	switch raw[i+1] {
	case 'b':
		return '\b', i + 2
	case 'f':
		return '\f', i + 2
	case 'n':
		return '\n', i + 2
	case 'r':
		return '\r', i + 2
	case 't':
		return '\t', i + 2
	case 'u':
		if i+6 > len(raw) {
			return utf8.RuneError, len(raw)
		}
		r := hex4(raw[i+2 : i+6])
		i += 6
		if utf16.IsSurrogate(r) {
			if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' && isHex4(raw[i+2:i+6]) {
				if pair := utf16.DecodeRune(r, hex4(raw[i+2:i+6])); pair != utf8.RuneError {
					return pair, i + 6
				}
			}
			return utf8.RuneError, i
		}
		return r, i
	default: // '"', '\\', '/'
		return rune(raw[i+1]), i + 2
	}
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r = r<<4 | rune(hexValue(c))
	}
	return r
}

// appendValid appends raw as valid UTF-8 of at most limit bytes, ending in
// an ellipsis when cut; invalid bytes become U+FFFD.
func appendValid(dst, raw []byte, limit int) []byte {
	if len(raw) <= limit && utf8.Valid(raw) {
		return append(dst, raw...)
	}
	out := boundedText{dst: dst, start: len(dst), cut: len(dst), limit: limit}
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:]) // an invalid byte decodes as U+FFFD
		var ok bool
		if out, ok = out.add(r); !ok {
			return out.cutShort()
		}
		i += n
	}
	return out.dst
}

// integer reads the code at sp as an int64. A JSON number counts when it is
// integral ("9003", "9003.0", "9.003e3"); a JSON string counts only when its
// decoded value is plain ASCII decimal digits ("9003", or "\u0039003"
// written with escapes), so Go number syntax ("9_003", "0x232Bp0"), signs,
// spaces and fractions in a string never match a code.
func integer(data []byte, sp span) (int64, bool) {
	raw := data[sp.start:sp.end]
	switch sp.kind {
	case 'n':
	case 's':
		return digitString(raw, sp.escaped)
	default:
		return 0, false
	}
	if n, ok := plainInteger(raw); ok {
		return n, true
	}
	// Rare shapes: a fraction or an exponent. Parse them exactly; the
	// scanner has checked JSON's number grammar, so Go's own syntax (hex,
	// underscores) cannot reach here.
	if len(raw) == 0 || len(raw) > 64 {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// maxCodeDigits is the most digits a code in a string may have; more could
// overflow an int64.
const maxCodeDigits = 18

// digitString reads the raw bytes of a JSON string (quotes excluded) as a
// code: its decoded value must be 1 to maxCodeDigits ASCII decimal digits.
func digitString(raw []byte, escaped bool) (int64, bool) {
	var n int64
	digits := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '\\' && escaped && i+1 < len(raw) {
			var r rune
			r, i = unescape(raw, i)
			if r < '0' || r > '9' {
				return 0, false
			}
			c = byte(r)
		} else {
			i++
		}
		if c < '0' || c > '9' || digits == maxCodeDigits {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		digits++
	}
	return n, digits > 0
}

// plainInteger parses an optionally signed run of decimal digits without
// overflow.
func plainInteger(raw []byte) (int64, bool) {
	neg := len(raw) > 0 && raw[0] == '-'
	if neg || (len(raw) > 0 && raw[0] == '+') {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// appendPrintable appends the printable characters of s (letters, marks,
// numbers, punctuation, symbols and the ASCII space) as at most limit bytes,
// ending in an ellipsis when cut. Control and format characters (CR, LF, NUL,
// ESC, bidirectional overrides...) are dropped; invalid bytes become U+FFFD.
func appendPrintable(dst []byte, s string, limit int) []byte {
	out := boundedText{dst: dst, start: len(dst), cut: len(dst), limit: limit}
	for i := 0; i < len(s); {
		if j := printableASCII(s, i); j > i { // a run of printable ASCII, as trace IDs are: whole
			var ok bool
			if out, ok = out.addASCII(s[i:j]); !ok {
				return out.cutShort()
			}
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:]) // an invalid byte decodes as U+FFFD
		i += n
		if !unicode.IsPrint(r) {
			continue
		}
		var ok bool
		if out, ok = out.add(r); !ok {
			return out.cutShort()
		}
	}
	return out.dst
}

// printableASCII returns the end of the run of printable ASCII characters
// (space to tilde) of s that starts at i.
func printableASCII(s string, i int) int {
	for i < len(s) && s[i] >= ' ' && s[i] <= '~' {
		i++
	}
	return i
}

// hasPrintable reports whether s has a character that [appendPrintable] keeps.
func hasPrintable(s string) bool {
	for _, r := range s {
		if unicode.IsPrint(r) {
			return true
		}
	}
	return false
}

// Printable returns the printable characters of s (see the RequestInfo
// rule: control and format characters dropped, invalid UTF-8 replaced) in at
// most maxBytes bytes, ending in an ellipsis when cut. It is the form in
// which errbridge repeats untrusted text in a resource name or an id.
func Printable(s string, maxBytes int) string {
	if maxBytes < len(ellipsis) {
		maxBytes = len(ellipsis)
	}
	var store [256]byte
	return string(appendPrintable(store[:0], s, maxBytes))
}
