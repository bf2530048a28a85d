package translate

import "google.golang.org/protobuf/types/known/anypb"

// Arena allocates the Results of many translations, and the encodings of
// their details, in chunks: a batch translated with [Translator.TranslateIn]
// into one Arena costs a few allocations in all rather than three per
// translation. Its Results are as immutable as any, and stay valid as long
// as one of them is referenced (so they should die together, as a batch's
// do). An Arena is not safe for concurrent use.
type Arena struct {
	results []Result
	anys    []anypb.Any
	bytes   []byte
	n       int // how many translations a chunk is sized for
}

// Chunk bounds of an Arena: how many translations one chunk is sized for
// at most, and the bytes of dynamic details a translation is assumed to
// take (an ErrorInfo's metadata and a RequestInfo: 150 to 300 bytes).
const (
	maxArenaChunk    = 256
	arenaDetailBytes = 256
)

// NewArena returns an Arena sized for n translations.
func NewArena(n int) *Arena { return &Arena{n: min(max(n, 1), maxArenaChunk)} }

// result returns a zero Result: from the arena, or allocated alone when a
// is nil.
func (a *Arena) result() *Result {
	if a == nil {
		return new(Result)
	}
	if len(a.results) == 0 {
		a.results = make([]Result, a.chunk())
	}
	r := &a.results[0]
	a.results = a.results[1:]
	return r
}

// details returns n zero Any values.
func (a *Arena) details(n int) []anypb.Any {
	if a == nil {
		return make([]anypb.Any, n)
	}
	if len(a.anys) < n {
		a.anys = make([]anypb.Any, max(a.chunk()*maxDetails, n))
	}
	s := a.anys[:n:n]
	a.anys = a.anys[n:]
	return s
}

// clone returns a copy of b that nothing else shares.
func (a *Arena) clone(b []byte) []byte {
	if a == nil {
		return append([]byte(nil), b...)
	}
	if len(b) > cap(a.bytes)-len(a.bytes) {
		a.bytes = make([]byte, 0, max(a.chunk()*arenaDetailBytes, len(b)))
	}
	start := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return a.bytes[start:len(a.bytes):len(a.bytes)]
}

// chunk is how many translations a new chunk is sized for.
func (a *Arena) chunk() int {
	if a.n == 0 {
		return maxArenaChunk / 4 // the zero Arena
	}
	return a.n
}
