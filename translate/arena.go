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
	left    int // translations NewArena was told of and not yet begun
	cur     int // the translations a chunk begun for the current one is sized for
}

// Chunk bounds of an Arena: how many translations one chunk is sized for
// at most (64 Results are 14 KiB: chunks stay in the allocator's size
// classes), and the details and bytes of dynamic details a translation is
// assumed to take (most Statuses carry 3 to 5 details, and an ErrorInfo's
// metadata and a RequestInfo take 150 to 300 bytes).
const (
	maxArenaChunk    = 64
	arenaDetails     = 4
	arenaDetailBytes = 256
)

// NewArena returns an Arena sized for n translations; more still work.
func NewArena(n int) *Arena { return &Arena{left: max(n, 1)} }

// result returns a zero Result: from the arena, or allocated alone when a
// is nil.
func (a *Arena) result() *Result {
	if a == nil {
		return new(Result)
	}
	a.cur = a.chunk()
	a.left = max(a.left-1, 0)
	if len(a.results) == 0 {
		a.results = make([]Result, a.cur)
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
		a.anys = make([]anypb.Any, max(a.cur*arenaDetails, n))
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
		a.bytes = make([]byte, 0, max(a.cur*arenaDetailBytes, len(b)))
	}
	start := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return a.bytes[start:len(a.bytes):len(a.bytes)]
}

// chunk is how many translations a chunk begun now is sized for: those
// left, this one included, at most maxArenaChunk; beyond those NewArena
// was told of, and for the zero Arena, half of that.
func (a *Arena) chunk() int {
	if a.left == 0 {
		return maxArenaChunk / 2
	}
	return min(a.left, maxArenaChunk)
}
