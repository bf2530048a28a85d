// Package varint appends protobuf varints, tags and length-delimited values
// as package protowire does, with the one-byte varint (every tag and most
// lengths of errbridge's messages) inlined at the call: protowire's
// AppendVarint is not inlined, and its calls were 7 % of a batch's server
// CPU once the responses were written by hand.
package varint

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
