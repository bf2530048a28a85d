package translate

import (
	"slices"

	"github.com/errbridge/errbridge/internal/wire"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
)

// The Status encoder writes a google.rpc.Status exactly as proto.Marshal
// does (fields by number, every detail's bytes as they are), without
// protobuf-go's reflective walk: encoding the Status was a tenth of a
// Translate call's server CPU, most of it spent in the generic walk over
// bytes the engine had already encoded. The field numbers are read from
// the generated descriptors; if they are not the ones the encoder expects,
// [AppendStatus] declines and callers use proto.Marshal.

// statusLayout is the field numbers of google.rpc.Status and
// google.protobuf.Any, and whether they are the ones the encoder handles.
type statusLayout struct {
	code, message, details protowire.Number
	typeURL, value         protowire.Number
	ok                     bool
}

var statusFields = readStatusLayout()

func readStatusLayout() statusLayout {
	var l statusLayout
	sd := (&spb.Status{}).ProtoReflect().Descriptor().Fields()
	ad := (&anypb.Any{}).ProtoReflect().Descriptor().Fields()
	if sd.Len() != 3 || ad.Len() != 2 {
		return l
	}
	code, message, details := sd.ByName("code"), sd.ByName("message"), sd.ByName("details")
	typeURL, value := ad.ByName("type_url"), ad.ByName("value")
	if code == nil || message == nil || details == nil || typeURL == nil || value == nil ||
		code.Kind() != protoreflect.Int32Kind || message.Kind() != protoreflect.StringKind ||
		details.Kind() != protoreflect.MessageKind || !details.IsList() ||
		typeURL.Kind() != protoreflect.StringKind || value.Kind() != protoreflect.BytesKind ||
		code.HasPresence() || message.HasPresence() || typeURL.HasPresence() || value.HasPresence() ||
		!(code.Number() < message.Number() && message.Number() < details.Number()) ||
		typeURL.Number() >= value.Number() {
		return l
	}
	l.code, l.message, l.details = code.Number(), message.Number(), details.Number()
	l.typeURL, l.value = typeURL.Number(), value.Number()
	l.ok = true
	return l
}

// SizeStatus returns the length of st's encoding, and false when the
// encoder cannot write st exactly as protobuf-go would: a string that is
// not valid UTF-8 (which protobuf-go refuses), unknown fields, a nil
// detail, or field numbers it does not expect. A nil st is empty. memo, if
// not nil, remembers the UTF-8 checks of its strings across the Statuses of
// one encoding.
func SizeStatus(st *spb.Status, memo *UTF8Memo) (int, bool) {
	if !statusFields.ok {
		return 0, false
	}
	if st == nil {
		return 0, true
	}
	if len(st.ProtoReflect().GetUnknown()) != 0 || !memo.Valid(st.GetMessage()) {
		return 0, false
	}
	n := wire.SizeVarintField(statusFields.code, uint64(int64(st.GetCode()))) +
		wire.SizeStringField(statusFields.message, st.GetMessage())
	for _, d := range st.GetDetails() {
		s, ok := sizeAny(d, memo)
		if !ok {
			return 0, false
		}
		n += protowire.SizeTag(statusFields.details) + protowire.SizeBytes(s) // a list element, written even when empty
	}
	return n, true
}

func sizeAny(a *anypb.Any, memo *UTF8Memo) (int, bool) {
	if a == nil || len(a.ProtoReflect().GetUnknown()) != 0 || !memo.Valid(a.GetTypeUrl()) {
		return 0, false
	}
	return anyLen(a), true
}

// anyLen is the length of a's encoding, which sizeAny accepted.
func anyLen(a *anypb.Any) int {
	return wire.SizeBytesField(statusFields.typeURL, len(a.GetTypeUrl())) +
		wire.SizeBytesField(statusFields.value, len(a.GetValue()))
}

// AppendStatus appends st's encoding, the bytes proto.Marshal gives, to b.
// It returns b unchanged and false when [SizeStatus] does.
func AppendStatus(b []byte, st *spb.Status) ([]byte, bool) {
	n, ok := SizeStatus(st, nil)
	if !ok {
		return b, false
	}
	return appendCheckedStatus(slices.Grow(b, n), st), true
}

// AppendStatusField appends st as field num of an enclosing message, with
// its length, which must be what [SizeStatus] returned with true for st;
// for a nil st it appends nothing.
func AppendStatusField(b []byte, num protowire.Number, st *spb.Status, size int) []byte {
	if st == nil {
		return b
	}
	return appendCheckedStatus(wire.AppendHead(b, num, size), st)
}

// appendCheckedStatus appends st, which SizeStatus accepted.
func appendCheckedStatus(b []byte, st *spb.Status) []byte {
	b = wire.AppendVarintField(b, statusFields.code, uint64(int64(st.GetCode())))
	b = wire.AppendStringField(b, statusFields.message, st.GetMessage())
	for _, d := range st.GetDetails() {
		b = wire.AppendHead(b, statusFields.details, anyLen(d))
		b = wire.AppendStringField(b, statusFields.typeURL, d.GetTypeUrl())
		b = wire.AppendBytesField(b, statusFields.value, d.GetValue())
	}
	return b
}
