// Package wire appends protobuf wire-format values and fields as package
// protowire does, for the engine's and the server's hand-written encoders.
// The one-byte varint (every tag and most lengths of errbridge's messages)
// is inlined at the call: protowire's AppendVarint is not inlined, and its
// calls were 7 % of a batch's server CPU once the responses were written by
// hand. Fields with implicit presence are skipped at their zero value, as
// protobuf-go skips them.
package wire

import "google.golang.org/protobuf/encoding/protowire"

// Append appends v as a varint.
func Append(b []byte, v uint64) []byte {
	if v < 0x80 {
		return append(b, byte(v))
	}
	return protowire.AppendVarint(b, v)
}

// AppendTag appends the tag of field num with wire type typ.
func AppendTag(b []byte, num protowire.Number, typ protowire.Type) []byte {
	return Append(b, protowire.EncodeTag(num, typ))
}

// AppendString appends s with its length.
func AppendString(b []byte, s string) []byte {
	return append(Append(b, uint64(len(s))), s...)
}

// AppendBytes appends v with its length.
func AppendBytes(b []byte, v []byte) []byte {
	return append(Append(b, uint64(len(v))), v...)
}

// AppendHead appends the tag and the length of a length-delimited field
// num of n bytes, which the caller appends next.
func AppendHead(b []byte, num protowire.Number, n int) []byte {
	return Append(AppendTag(b, num, protowire.BytesType), uint64(n))
}

// AppendStringField appends string field num, unless v is empty.
func AppendStringField(b []byte, num protowire.Number, v string) []byte {
	if v == "" {
		return b
	}
	return AppendString(AppendTag(b, num, protowire.BytesType), v)
}

// AppendBytesField appends bytes field num, unless v is empty.
func AppendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	return AppendBytes(AppendTag(b, num, protowire.BytesType), v)
}

// AppendVarintField appends varint field num, unless v is 0.
func AppendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	return Append(AppendTag(b, num, protowire.VarintType), v)
}

// SizeStringField is the size of [AppendStringField]'s field.
func SizeStringField(num protowire.Number, v string) int { return SizeBytesField(num, len(v)) }

// SizeBytesField is the size of [AppendBytesField]'s field for n bytes.
func SizeBytesField(num protowire.Number, n int) int {
	if n == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeBytes(n)
}

// SizeVarintField is the size of [AppendVarintField]'s field.
func SizeVarintField(num protowire.Number, v uint64) int {
	if v == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeVarint(v)
}
