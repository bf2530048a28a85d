package server

import (
	"errors"
	"unicode/utf8"
	"unsafe"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The errors of the request decoder, worded as protobuf-go's.
var (
	errDecode      = errors.New("proto: cannot parse invalid wire-format data")
	errInvalidUTF8 = errors.New("string field contains invalid UTF-8")
)

// requestField is what the decoder does with a field of TranslateRequest.
type requestField uint8

const (
	fieldUnknown requestField = iota
	fieldHTTPStatus
	fieldBody
	fieldHeaders
	fieldLocale
	fieldMethod
	fieldFamily
	fieldIdempotent
)

// requestLayout maps TranslateRequest's field numbers to what they hold, as
// the generated descriptor gives them, and the field number of
// TranslateBatchRequest.requests. ok is false, and the server decodes every
// request with protobuf-go, if the descriptor holds a field the decoder does
// not know or one of a kind it does not expect: nothing here restates the
// proto by hand.
type requestLayout struct {
	fields   []requestField // by field number
	requests protowire.Number
	ok       bool
}

// layout is read once from the generated descriptors.
var layout = readLayout()

func readLayout() requestLayout {
	want := map[protoreflect.Name]struct {
		f    requestField
		kind protoreflect.Kind
	}{
		"http_status": {fieldHTTPStatus, protoreflect.Int32Kind},
		"body":        {fieldBody, protoreflect.BytesKind},
		"headers":     {fieldHeaders, protoreflect.MessageKind},
		"locale":      {fieldLocale, protoreflect.StringKind},
		"method":      {fieldMethod, protoreflect.StringKind},
		"family":      {fieldFamily, protoreflect.EnumKind},
		"idempotent":  {fieldIdempotent, protoreflect.BoolKind},
	}
	var l requestLayout
	fds := (&errbridgev1.TranslateRequest{}).ProtoReflect().Descriptor().Fields()
	if fds.Len() != len(want) {
		return l
	}
	for i := range fds.Len() {
		fd := fds.Get(i)
		w, known := want[fd.Name()]
		if !known || fd.Kind() != w.kind || fd.Cardinality() == protoreflect.Repeated && !fd.IsMap() ||
			fd.HasPresence() || fd.Number() > 64 {
			return l
		}
		if fd.IsMap() && (fd.MapKey().Kind() != protoreflect.StringKind || fd.MapValue().Kind() != protoreflect.StringKind) {
			return l
		}
		for len(l.fields) <= int(fd.Number()) {
			l.fields = append(l.fields, fieldUnknown)
		}
		l.fields[fd.Number()] = w.f
	}
	bfds := (&errbridgev1.TranslateBatchRequest{}).ProtoReflect().Descriptor().Fields()
	if bfds.Len() != 1 || bfds.Get(0).Name() != "requests" || !bfds.Get(0).IsList() ||
		bfds.Get(0).Message() != (&errbridgev1.TranslateRequest{}).ProtoReflect().Descriptor() {
		return l
	}
	l.requests = bfds.Get(0).Number()
	l.ok = true
	return l
}

// The request decoder decodes TranslateRequest and TranslateBatchRequest
// exactly as protobuf-go does (FuzzDecodeMatchesProtobuf compares the two
// on arbitrary input): the same messages, unknown fields included, from the
// same input, and an error for the same input. It is faster because it
// knows the two messages and allocates little: the whole encoded message is
// copied once into a buffer the decoded message owns, and every string and
// byte slice of the message points into it. Decoding a batch's header maps
// reflectively was a fifth of the server's CPU under batch load.

// decodeTranslateBatchRequest decodes data, which the message takes over,
// into m, which must be empty. The requests are allocated together.
func decodeTranslateBatchRequest(data []byte, m *errbridgev1.TranslateBatchRequest) error {
	// A malformed batch is decoded one request at a time instead, so that
	// the error is the one protobuf-go meets first.
	var items []errbridgev1.TranslateRequest
	if n, ok := countRequests(data); ok && n > 0 {
		items = make([]errbridgev1.TranslateRequest, n)
		m.Requests = make([]*errbridgev1.TranslateRequest, 0, n)
	}
	var unknown []byte
	for b := data; len(b) > 0; {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errDecode
		}
		b = b[n:]
		if num == layout.requests && typ == protowire.BytesType {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errDecode
			}
			var r *errbridgev1.TranslateRequest
			if i := len(m.Requests); i < len(items) {
				r = &items[i]
			} else {
				r = new(errbridgev1.TranslateRequest)
			}
			m.Requests = append(m.Requests, r)
			if err := decodeTranslateRequest(v, r); err != nil {
				return err
			}
			b = b[n:]
			continue
		}
		if unknown, n = skipUnknown(unknown, num, typ, b); n < 0 {
			return errDecode
		}
		b = b[n:]
	}
	keepUnknown(m, unknown)
	return nil
}

// countRequests counts the requests of an encoded batch; ok is false if its
// outer framing is malformed.
func countRequests(b []byte) (count int, ok bool) {
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return 0, false
		}
		b = b[n:]
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return 0, false
		}
		if num == layout.requests && typ == protowire.BytesType {
			count++
		}
		b = b[n:]
	}
	return count, true
}

// decodeTranslateRequest decodes b, which the message takes over, into m,
// which must be empty.
func decodeTranslateRequest(b []byte, m *errbridgev1.TranslateRequest) error {
	var unknown []byte
	for len(b) > 0 {
		num, typ, n := consumeTag(b)
		if n < 0 {
			return errDecode
		}
		b = b[n:]
		f := fieldUnknown
		if int(num) < len(layout.fields) {
			f = layout.fields[num]
		}
		switch {
		case typ == protowire.VarintType && (f == fieldHTTPStatus || f == fieldFamily || f == fieldIdempotent):
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errDecode
			}
			switch f {
			case fieldHTTPStatus:
				m.HttpStatus = int32(v)
			case fieldFamily:
				m.Family = errbridgev1.ApiFamily(int32(v))
			default:
				m.Idempotent = protowire.DecodeBool(v)
			}
			b = b[n:]
		case typ == protowire.BytesType && (f == fieldBody || f == fieldLocale || f == fieldMethod || f == fieldHeaders):
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errDecode
			}
			switch f {
			case fieldBody:
				m.Body = v[:len(v):len(v)]
			case fieldLocale, fieldMethod:
				if !utf8.Valid(v) {
					return errInvalidUTF8
				}
				if f == fieldLocale {
					m.Locale = alias(v)
				} else {
					m.Method = alias(v)
				}
			default:
				if err := decodeHeader(v, m); err != nil {
					return err
				}
			}
			b = b[n:]
		default:
			if unknown, n = skipUnknown(unknown, num, typ, b); n < 0 {
				return errDecode
			}
			b = b[n:]
		}
	}
	keepUnknown(m, unknown)
	return nil
}

// decodeHeader decodes one entry of the headers map, a message whose field
// 1 is the key and field 2 the value; other fields, and the key or value
// with another wire type, are skipped.
func decodeHeader(b []byte, m *errbridgev1.TranslateRequest) error {
	var key, value string
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 || num > protowire.MaxValidNumber {
			return errDecode
		}
		b = b[n:]
		if (num == 1 || num == 2) && typ == protowire.BytesType {
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errDecode
			}
			if !utf8.Valid(v) {
				return errInvalidUTF8
			}
			if num == 1 {
				key = alias(v)
			} else {
				value = alias(v)
			}
			b = b[n:]
			continue
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return errDecode
		}
		b = b[n:]
	}
	if m.Headers == nil {
		m.Headers = make(map[string]string)
	}
	m.Headers[key] = value
	return nil
}

// consumeTag parses a field's tag as protobuf-go's decoder does: a field
// number outside 1 to 2^29-1, or an end-group tag, which no top-level field
// may have, is an error (n < 0).
func consumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	v, n := protowire.ConsumeVarint(b)
	if n < 0 {
		return 0, 0, n
	}
	num := v >> 3
	typ := protowire.Type(v & 7)
	if num < uint64(protowire.MinValidNumber) || num > uint64(protowire.MaxValidNumber) || typ == protowire.EndGroupType {
		return 0, 0, -1
	}
	return protowire.Number(num), typ, n
}

// skipUnknown skips the value of an unknown field in b, and appends the
// field to unknown, as protobuf-go keeps it (the tag encoded anew). n < 0
// means the value is malformed.
func skipUnknown(unknown []byte, num protowire.Number, typ protowire.Type, b []byte) ([]byte, int) {
	n := protowire.ConsumeFieldValue(num, typ, b)
	if n < 0 {
		return unknown, n
	}
	unknown = protowire.AppendTag(unknown, num, typ)
	return append(unknown, b[:n]...), n
}

// keepUnknown gives m the unknown fields met while decoding it, if any.
func keepUnknown(m protoreflect.ProtoMessage, unknown []byte) {
	if unknown != nil {
		m.ProtoReflect().SetUnknown(unknown)
	}
}

// alias is b as a string, without a copy: b is part of the buffer the
// decoded message owns, which nothing writes to after decoding.
func alias(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
