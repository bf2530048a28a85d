package wire

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

// TestFieldsMatchProtowire compares the field helpers with protowire, and
// checks that zero values are skipped.
func TestFieldsMatchProtowire(t *testing.T) {
	for _, v := range []uint64{0, 1, 300, math.MaxUint64} {
		want := []byte{}
		if v != 0 {
			want = protowire.AppendVarint(protowire.AppendTag(nil, 9, protowire.VarintType), v)
		}
		if got := AppendVarintField(nil, 9, v); !bytes.Equal(got, want) || SizeVarintField(9, v) != len(want) {
			t.Errorf("AppendVarintField(%d) = %x (size %d), want %x", v, got, SizeVarintField(9, v), want)
		}
	}
	for _, s := range []string{"", "a", string(bytes.Repeat([]byte("中"), 60))} {
		want := []byte{}
		if s != "" {
			want = protowire.AppendString(protowire.AppendTag(nil, 20, protowire.BytesType), s)
		}
		if got := AppendStringField(nil, 20, s); !bytes.Equal(got, want) || SizeStringField(20, s) != len(want) {
			t.Errorf("AppendStringField(%q) = %x, want %x", s, got, want)
		}
		if got := AppendBytesField(nil, 20, []byte(s)); !bytes.Equal(got, want) || SizeBytesField(20, len(s)) != len(want) {
			t.Errorf("AppendBytesField(%q) = %x, want %x", s, got, want)
		}
	}
	if got, want := AppendHead(nil, 3, 200), protowire.AppendVarint(protowire.AppendTag(nil, 3, protowire.BytesType), 200); !bytes.Equal(got, want) {
		t.Errorf("AppendHead = %x, want %x", got, want)
	}
}
