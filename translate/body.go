package translate

import "bytes"

// maxDepth is how deeply a body may nest before it is rejected as
// unparseable; the scanner recurses at most this far.
const maxDepth = 64

// parseFailure says why a body could not be read as JSON.
type parseFailure uint8

const (
	parsedOK parseFailure = iota
	parseEmpty
	parseInvalid
	parseTooDeep
)

// span is a value found in a body: its kind and where its bytes are. For
// strings, start and end exclude the quotes.
type span struct {
	kind       byte // 0 when absent; 's' string, 'n' number, 'l' null, 'o' anything else
	escaped    bool // a string holding at least one backslash escape
	start, end int
}

func (s span) present() bool { return s.kind != 0 && s.kind != 'l' }

// fields are the values of one object that the engine looks at.
type fields struct {
	errorCode, newErrorCode, message span
}

// body is what the scanner found: the REST envelope, the top-level fields, and
// why parsing failed, if it did.
type body struct {
	data        []byte
	failure     parseFailure
	failureAt   int  // byte offset of the failure
	hasEnvelope bool // "error_info" held an object
	envelope    fields
	top         fields
	code, nonce span // OAuth's top-level "code" and "nonce"
}

// scanBody validates data as one JSON value and records the fields the
// engine reads. It never panics and never allocates.
func scanBody(data []byte, b *body) {
	*b = body{data: data}
	s := scanner{data: data}
	s.skipSpace()
	if s.pos < len(data)-2 && data[s.pos] == 0xEF && data[s.pos+1] == 0xBB && data[s.pos+2] == 0xBF {
		s.pos += 3 // a UTF-8 byte-order mark
		s.skipSpace()
	}
	if s.pos == len(data) {
		b.failure = parseEmpty
		return
	}
	s.b = b
	if data[s.pos] == '{' {
		s.object(levelTop, 1)
	} else {
		s.value(1)
	}
	if s.fail == parsedOK {
		s.skipSpace()
		if s.pos != len(data) {
			s.failHere(parseInvalid)
		}
	}
	if s.fail != parsedOK {
		// Nothing found in a body that is not JSON is trusted.
		*b = body{data: data, failure: s.fail, failureAt: s.failAt}
	}
}

// Object levels whose keys the scanner records.
const (
	levelOther    = iota // an object nobody reads
	levelTop             // the top-level object
	levelEnvelope        // the object under "error_info"
)

type scanner struct {
	data   []byte
	pos    int
	b      *body
	fail   parseFailure
	failAt int
}

func (s *scanner) failHere(f parseFailure) {
	if s.fail == parsedOK {
		s.fail, s.failAt = f, s.pos
	}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value scans any JSON value at the current position and returns where it is.
func (s *scanner) value(depth int) span {
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.failHere(parseInvalid)
		return span{}
	}
	start := s.pos
	switch c := s.data[s.pos]; {
	case c == '"':
		return s.str()
	case c == '{':
		s.object(levelOther, depth)
	case c == '[':
		s.array(depth)
	case c == '-' || (c >= '0' && c <= '9'):
		s.number()
		return span{kind: 'n', start: start, end: s.pos}
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
		return span{kind: 'l', start: start, end: s.pos}
	default:
		s.failHere(parseInvalid)
	}
	return span{kind: 'o', start: start, end: s.pos}
}

func (s *scanner) literal(word string) {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		s.failHere(parseInvalid)
		return
	}
	s.pos += len(word)
}

// object scans an object; level says whose keys to record.
func (s *scanner) object(level, depth int) {
	if depth > maxDepth {
		s.failHere(parseTooDeep)
		return
	}
	s.pos++ // '{'
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return
	}
	for s.fail == parsedOK {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			s.failHere(parseInvalid)
			return
		}
		key := s.str()
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			s.failHere(parseInvalid)
			return
		}
		s.pos++
		s.member(level, key, depth)
		s.skipSpace()
		if s.pos >= len(s.data) {
			s.failHere(parseInvalid)
			return
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return
		default:
			s.failHere(parseInvalid)
			return
		}
	}
}

// member scans the value of one object member and records it if the engine
// reads that key at this level.
func (s *scanner) member(level int, key span, depth int) {
	if level == levelOther || key.escaped {
		s.value(depth + 1)
		return
	}
	name := s.data[key.start:key.end]
	if level == levelTop && string(name) == "error_info" {
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == '{' {
			s.b.hasEnvelope = true
			s.b.envelope = fields{} // the last duplicate wins
			s.object(levelEnvelope, depth+1)
			return
		}
		s.value(depth + 1)
		return
	}
	v := s.value(depth + 1)
	f := &s.b.top
	if level == levelEnvelope {
		f = &s.b.envelope
	}
	switch string(name) {
	case "error_code":
		f.errorCode = v
	case "new_error_code":
		f.newErrorCode = v
	case "message":
		f.message = v
	case "code":
		if level == levelTop {
			s.b.code = v
		}
	case "nonce":
		if level == levelTop {
			s.b.nonce = v
		}
	}
}

func (s *scanner) array(depth int) {
	if depth > maxDepth {
		s.failHere(parseTooDeep)
		return
	}
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return
	}
	for s.fail == parsedOK {
		s.value(depth + 1)
		s.skipSpace()
		if s.pos >= len(s.data) {
			s.failHere(parseInvalid)
			return
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return
		default:
			s.failHere(parseInvalid)
			return
		}
	}
}

// str scans a string. Raw control characters and invalid UTF-8 are
// tolerated here (upstream bodies contain both) and repaired on output.
func (s *scanner) str() span {
	s.pos++ // '"'
	sp := span{kind: 's', start: s.pos}
	for s.pos < len(s.data) {
		// Jump to the next quote; only the bytes before it can hold escapes.
		q := bytes.IndexByte(s.data[s.pos:], '"')
		if q < 0 {
			break
		}
		e := bytes.IndexByte(s.data[s.pos:s.pos+q], '\\')
		if e < 0 {
			s.pos += q
			sp.end = s.pos
			s.pos++
			return sp
		}
		s.pos += e
		sp.escaped = true
		if !s.escape() {
			return sp
		}
	}
	s.pos = len(s.data)
	s.failHere(parseInvalid)
	return sp
}

// escape checks the escape sequence at the current backslash and moves past it.
func (s *scanner) escape() bool {
	if s.pos+1 >= len(s.data) {
		s.pos = len(s.data)
		s.failHere(parseInvalid)
		return false
	}
	switch s.data[s.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos += 2
	case 'u':
		if s.pos+6 > len(s.data) || !isHex4(s.data[s.pos+2:s.pos+6]) {
			s.failHere(parseInvalid)
			return false
		}
		s.pos += 6
	default:
		s.failHere(parseInvalid)
		return false
	}
	return true
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if hexValue(c) < 0 {
			return false
		}
	}
	return true
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// number scans a number with RFC 8259's grammar.
func (s *scanner) number() {
	d := s.data
	if s.pos < len(d) && d[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(d) && d[s.pos] == '0':
		s.pos++
	case s.pos < len(d) && d[s.pos] >= '1' && d[s.pos] <= '9':
		s.digits()
	default:
		s.failHere(parseInvalid)
		return
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if !s.digits() {
			s.failHere(parseInvalid)
			return
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if !s.digits() {
			s.failHere(parseInvalid)
		}
	}
}

func (s *scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}
