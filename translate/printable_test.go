package translate

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// appendPrintableRunes is appendPrintable as it was first written, one
// character at a time: the reference for its ASCII fast path.
func appendPrintableRunes(dst []byte, s string, limit int) []byte {
	out := boundedText{dst: dst, start: len(dst), cut: len(dst), limit: limit}
	for _, r := range s {
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

// TestAppendPrintableMatchesRunes compares appendPrintable with the
// reference on strings that mix printable ASCII runs with controls,
// multi-byte characters, format characters and invalid bytes, at every
// limit around their lengths and after a non-empty dst.
func TestAppendPrintableMatchesRunes(t *testing.T) {
	pieces := []string{"a", "trace-", "0123456789abcdef", " ", "~", "\x7f", "\x00", "\r\n", "中", "é", "\u200e", "\u202e", "\xff", "\xe4\xb8", "…", "😀", "\t"}
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := []string{"", strings.Repeat("x", 300), strings.Repeat("中", 60), "abc\x00def" + strings.Repeat("y", 130)}
	for range 3000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		inputs = append(inputs, sb.String())
	}
	for _, s := range inputs {
		for _, prefix := range []string{"", "pre中"} {
			for limit := 3; limit <= len(s)+4; limit++ {
				got := appendPrintable([]byte(prefix), s, limit)
				want := appendPrintableRunes([]byte(prefix), s, limit)
				if !bytes.Equal(got, want) {
					t.Fatalf("appendPrintable(%q, %q, %d) = %q, want %q", prefix, s, limit, got, want)
				}
			}
		}
	}
}

// BenchmarkAppendPrintable measures a typical trace ID, ASCII only.
func BenchmarkAppendPrintable(b *testing.B) {
	var buf [256]byte
	id := "8f14e45fceea167a5a36dedd4bea2543-0001"
	for _, bc := range []struct {
		name string
		f    func([]byte, string, int) []byte
	}{{"ascii-fast-path", appendPrintable}, {"runes", appendPrintableRunes}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				_ = bc.f(buf[:0], id, maxTraceBytes)
			}
		})
	}
}
