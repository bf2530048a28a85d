package translate

import (
	"bytes"
	"math"
	"strconv"
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
	start := len(dst)
	budget := limit - len(ellipsis)
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
		if len(dst)-start+utf8.RuneLen(r) > budget && !(i == len(raw) && len(dst)-start+utf8.RuneLen(r) <= limit) {
			return append(dst, ellipsis...)
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

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
	start := len(dst)
	budget := limit - len(ellipsis)
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		size := n
		if r == utf8.RuneError && n <= 1 {
			size = len(string(utf8.RuneError))
		}
		if len(dst)-start+size > budget && !(i+n == len(raw) && len(dst)-start+size <= limit) {
			return append(dst, ellipsis...)
		}
		if r == utf8.RuneError && n <= 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, raw[i:i+n]...)
		}
		i += n
	}
	return dst
}

// integer reads the number at sp, or a string holding one, as an int64.
// Integral floats ("9003.0", 9.003e3) count; anything else does not.
func integer(data []byte, sp span) (int64, bool) {
	raw := data[sp.start:sp.end]
	switch sp.kind {
	case 'n':
	case 's':
		if sp.escaped {
			return 0, false
		}
		raw = trimSpace(raw)
	default:
		return 0, false
	}
	if n, ok := plainInteger(raw); ok {
		return n, true
	}
	// Rare shapes: a fraction or an exponent. Parse them exactly.
	if len(raw) == 0 || len(raw) > 64 {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
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

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
