package translate

import (
	"github.com/errbridge/errbridge/internal/varint"
	"google.golang.org/protobuf/encoding/protowire"
)

// Type URLs of the google.rpc details the engine writes.
const (
	typeErrorInfo        = "type.googleapis.com/google.rpc.ErrorInfo"
	typeRetryInfo        = "type.googleapis.com/google.rpc.RetryInfo"
	typeQuotaFailure     = "type.googleapis.com/google.rpc.QuotaFailure"
	typeRequestInfo      = "type.googleapis.com/google.rpc.RequestInfo"
	typeHelp             = "type.googleapis.com/google.rpc.Help"
	typeLocalizedMessage = "type.googleapis.com/google.rpc.LocalizedMessage"
)

// The engine encodes its details directly with protowire, in the order
// deterministic proto.Marshal would (fields by number, map keys sorted), so
// that building a Status costs no reflection and almost no allocation. The
// tests check every encoding against proto.Marshal of the same message.

// appendStringField appends a length-delimited field.
func appendStringField(b []byte, num protowire.Number, v string) []byte {
	if v == "" {
		return b
	}
	b = varint.AppendTag(b, num, protowire.BytesType)
	return varint.AppendString(b, v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = varint.AppendTag(b, num, protowire.BytesType)
	return varint.AppendBytes(b, v)
}

// appendMapEntry appends one entry of ErrorInfo.metadata (field 3).
func appendMapEntry(b []byte, key string, value []byte) []byte {
	n := protowire.SizeTag(1) + protowire.SizeBytes(len(key)) + protowire.SizeTag(2) + protowire.SizeBytes(len(value))
	b = varint.AppendTag(b, 3, protowire.BytesType)
	b = varint.Append(b, uint64(n))
	b = varint.AppendTag(b, 1, protowire.BytesType)
	b = varint.AppendString(b, key)
	b = varint.AppendTag(b, 2, protowire.BytesType)
	return varint.AppendBytes(b, value)
}

// appendDuration appends a google.protobuf.Duration of whole seconds and
// nanos as field num.
func appendDuration(b []byte, num protowire.Number, seconds int64, nanos int32) []byte {
	n := 0
	if seconds != 0 {
		n += protowire.SizeTag(1) + protowire.SizeVarint(uint64(seconds))
	}
	if nanos != 0 {
		n += protowire.SizeTag(2) + protowire.SizeVarint(uint64(int64(nanos)))
	}
	b = varint.AppendTag(b, num, protowire.BytesType)
	b = varint.Append(b, uint64(n))
	if seconds != 0 {
		b = varint.AppendTag(b, 1, protowire.VarintType)
		b = varint.Append(b, uint64(seconds))
	}
	if nanos != 0 {
		b = varint.AppendTag(b, 2, protowire.VarintType)
		b = varint.Append(b, uint64(int64(nanos)))
	}
	return b
}
