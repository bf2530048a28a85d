package proxy

// objectScan follows a 2xx body of unknown length as its bytes arrive, to
// tell as early as they allow whether it can be an error envelope: one JSON
// object and nothing after it. A body that starts with anything else (a
// JSON array, say) or goes on after its first object (JSON lines) is a
// stream to pass on at once, not to hold until its end. It tracks strings
// and nesting, not validity: the engine judges the object it finds.
type objectScan struct {
	pos     int // bytes of the body scanned
	depth   int
	started bool // the object's opening brace was seen
	inStr   bool
	esc     bool
	end     int // the offset after the object's closing brace; 0 until then
	verdict objectVerdict
}

// objectVerdict is what the bytes scanned so far say.
type objectVerdict uint8

const (
	objectUndecided objectVerdict = iota // read on
	objectNot                            // not one JSON object: stream on
	objectWhole                          // one whole object, then only white space so far
)

// feed scans what body holds beyond the bytes already scanned (body grows
// from one call to the next) and returns the verdict.
func (s *objectScan) feed(body []byte) objectVerdict {
	for ; s.pos < len(body) && s.verdict != objectNot; s.pos++ {
		c := body[s.pos]
		switch {
		case s.end > 0:
			if !isJSONSpace(c) {
				s.verdict = objectNot
			}
		case !s.started:
			switch {
			case isJSONSpace(c) || (s.pos < 3 && c == "\xef\xbb\xbf"[s.pos]): // a byte-order mark
			case c == '{':
				s.started, s.depth = true, 1
			default:
				s.verdict = objectNot
			}
		case s.inStr:
			switch {
			case s.esc:
				s.esc = false
			case c == '\\':
				s.esc = true
			case c == '"':
				s.inStr = false
			}
		default:
			switch c {
			case '"':
				s.inStr = true
			case '{', '[':
				s.depth++
			case '}', ']':
				if s.depth--; s.depth == 0 {
					s.end = s.pos + 1
				}
			}
		}
	}
	if s.verdict == objectUndecided && s.end > 0 {
		s.verdict = objectWhole
	}
	return s.verdict
}

// isJSONSpace reports whether c is JSON white space.
func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
