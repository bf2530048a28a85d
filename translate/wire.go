package translate

import (
	"github.com/errbridge/errbridge/internal/wire"
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

// appendMapEntry appends one entry of ErrorInfo.metadata (field 3).
func appendMapEntry(b []byte, key string, value []byte) []byte {
	n := protowire.SizeTag(1) + protowire.SizeBytes(len(key)) + protowire.SizeTag(2) + protowire.SizeBytes(len(value))
	b = wire.AppendHead(b, 3, n)
	b = wire.AppendTag(b, 1, protowire.BytesType)
	b = wire.AppendString(b, key)
	b = wire.AppendTag(b, 2, protowire.BytesType)
	return wire.AppendBytes(b, value)
}

// appendDuration appends a google.protobuf.Duration of whole seconds and
// nanos as field num.
func appendDuration(b []byte, num protowire.Number, seconds int64, nanos int32) []byte {
	n := wire.SizeVarintField(1, uint64(seconds)) + wire.SizeVarintField(2, uint64(int64(nanos)))
	b = wire.AppendHead(b, num, n)
	b = wire.AppendVarintField(b, 1, uint64(seconds))
	return wire.AppendVarintField(b, 2, uint64(int64(nanos)))
}
