package translate

import (
	"unicode/utf8"

	"github.com/errbridge/errbridge/internal/varint"
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
// detail, or field numbers it does not expect. A nil st is empty.
func SizeStatus(st *spb.Status) (int, bool) {
	if !statusFields.ok {
		return 0, false
	}
	if st == nil {
		return 0, true
	}
	if len(st.ProtoReflect().GetUnknown()) != 0 || !utf8.ValidString(st.GetMessage()) {
		return 0, false
	}
	n := 0
	if c := st.GetCode(); c != 0 {
		n += protowire.SizeTag(statusFields.code) + protowire.SizeVarint(uint64(int64(c)))
	}
	if m := st.GetMessage(); m != "" {
		n += protowire.SizeTag(statusFields.message) + protowire.SizeBytes(len(m))
	}
	for _, d := range st.GetDetails() {
		s, ok := sizeAny(d)
		if !ok {
			return 0, false
		}
		n += protowire.SizeTag(statusFields.details) + protowire.SizeBytes(s)
	}
	return n, true
}

func sizeAny(a *anypb.Any) (int, bool) {
	if a == nil || len(a.ProtoReflect().GetUnknown()) != 0 || !utf8.ValidString(a.GetTypeUrl()) {
		return 0, false
	}
	return anyLen(a), true
}

// anyLen is the length of a's encoding, which sizeAny accepted.
func anyLen(a *anypb.Any) int {
	n := 0
	if u := a.GetTypeUrl(); u != "" {
		n += protowire.SizeTag(statusFields.typeURL) + protowire.SizeBytes(len(u))
	}
	if v := a.GetValue(); len(v) != 0 {
		n += protowire.SizeTag(statusFields.value) + protowire.SizeBytes(len(v))
	}
	return n
}

// AppendStatus appends st's encoding, the bytes proto.Marshal gives, to b.
// It returns b unchanged and false when [SizeStatus] does.
func AppendStatus(b []byte, st *spb.Status) ([]byte, bool) {
	if _, ok := SizeStatus(st); !ok {
		return b, false
	}
	return appendCheckedStatus(b, st), true
}

// AppendStatusField appends st as field num of an enclosing message, with
// its length, which must be what [SizeStatus] returned with true for st;
// for a nil st it appends nothing.
func AppendStatusField(b []byte, num protowire.Number, st *spb.Status, size int) []byte {
	if st == nil {
		return b
	}
	b = varint.AppendTag(b, num, protowire.BytesType)
	b = varint.Append(b, uint64(size))
	return appendCheckedStatus(b, st)
}

// appendCheckedStatus appends st, which SizeStatus accepted.
func appendCheckedStatus(b []byte, st *spb.Status) []byte {
	if c := st.GetCode(); c != 0 {
		b = varint.AppendTag(b, statusFields.code, protowire.VarintType)
		b = varint.Append(b, uint64(int64(c)))
	}
	if m := st.GetMessage(); m != "" {
		b = varint.AppendTag(b, statusFields.message, protowire.BytesType)
		b = varint.AppendString(b, m)
	}
	for _, d := range st.GetDetails() {
		s := anyLen(d)
		b = varint.AppendTag(b, statusFields.details, protowire.BytesType)
		b = varint.Append(b, uint64(s))
		if u := d.GetTypeUrl(); u != "" {
			b = varint.AppendTag(b, statusFields.typeURL, protowire.BytesType)
			b = varint.AppendString(b, u)
		}
		if v := d.GetValue(); len(v) != 0 {
			b = varint.AppendTag(b, statusFields.value, protowire.BytesType)
			b = varint.AppendBytes(b, v)
		}
	}
	return b
}
