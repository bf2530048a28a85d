package varint

import (
	"bytes"
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// TestMatchesProtowire compares every function with protowire's on the
// boundaries of each varint length.
func TestMatchesProtowire(t *testing.T) {
	var values []uint64
	for shift := 0; shift < 64; shift += 7 {
		v := uint64(1) << shift
		values = append(values, v-1, v, v+1)
	}
	values = append(values, math.MaxUint64, math.MaxUint32)
	prefix := []byte("p")
	for _, v := range values {
		if got, want := Append(prefix, v), protowire.AppendVarint(prefix, v); !bytes.Equal(got, want) {
			t.Errorf("Append(%d) = %x, want %x", v, got, want)
		}
	}
	for _, num := range []protowire.Number{1, 15, 16, 2047, 2048, protowire.MaxValidNumber} {
		for _, typ := range []protowire.Type{protowire.VarintType, protowire.BytesType, protowire.Fixed32Type} {
			if got, want := AppendTag(prefix, num, typ), protowire.AppendTag(prefix, num, typ); !bytes.Equal(got, want) {
				t.Errorf("AppendTag(%d, %d) = %x, want %x", num, typ, got, want)
			}
		}
	}
	for _, n := range []int{0, 1, 127, 128, 300, 20000} {
		s := string(bytes.Repeat([]byte("中"), n))[:n]
		if got, want := AppendString(prefix, s), protowire.AppendString(prefix, s); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%d bytes) differs", n)
		}
		if got, want := AppendBytes(prefix, []byte(s)), protowire.AppendBytes(prefix, []byte(s)); !bytes.Equal(got, want) {
			t.Errorf("AppendBytes(%d bytes) differs", n)
		}
	}
}
