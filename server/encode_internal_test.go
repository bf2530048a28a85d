package server

import (
	"bytes"
	"fmt"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
)

// compareEncoders encodes m with the codec and with protobuf-go, and
// describes how they differ ("" when they agree). When the response encoder
// takes m, its bytes must be protobuf-go's, in a buffer of exactly the size
// it computed; when it declines, the codec must still give protobuf-go's
// bytes or its error.
func compareEncoders(c *codec, m proto.Message) string {
	want, werr := proto.Marshal(m)
	size := -1
	got, ok := encodeResponse(m, func(n int) []byte { size = n; return make([]byte, 0, n) })
	if ok && (werr != nil || !bytes.Equal(got, want) || size != len(got) || cap(got) != size) {
		return fmt.Sprintf("%T: the encoder wrote %x (size %d), protobuf-go %x, %v", m, got, size, want, werr)
	}
	data, cerr := c.Marshal(m)
	defer data.Free()
	if (werr == nil) != (cerr == nil) {
		return fmt.Sprintf("%T: protobuf-go says %v, the codec %v", m, werr, cerr)
	}
	if werr != nil || !m.ProtoReflect().IsValid() {
		return "" // an error, or a nil message: nothing to compare
	}
	got = data.Materialize()
	if ok && !bytes.Equal(got, want) {
		return fmt.Sprintf("%T: the codec wrote %x, the encoder %x", m, got, want)
	}
	// Declined: protobuf-go's bytes, which order map entries at random.
	back := m.ProtoReflect().New().Interface()
	if err := proto.Unmarshal(got, back); err != nil || !proto.Equal(back, m) {
		return fmt.Sprintf("%T: the codec's bytes decode to %v, %v", m, back, err)
	}
	return ""
}

// TestEncoderKnowsEveryField walks every field of TranslateResponse, as the
// generated descriptor has it: a response with only that field set, at a
// zero, a negative and an ordinary value, is encoded as protobuf-go encodes
// it. A field added to the proto without the encoder learning it fails here
// (and turns the encoder off in the server, which then uses protobuf-go).
func TestEncoderKnowsEveryField(t *testing.T) {
	t.Parallel()
	if !responseFields.ok {
		t.Fatal("the response encoder does not match the response descriptors and is off")
	}
	c, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	fds := (&errbridgev1.TranslateResponse{}).ProtoReflect().Descriptor().Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		t.Run(string(fd.Name()), func(t *testing.T) {
			var values []protoreflect.Value
			switch fd.Kind() {
			case protoreflect.StringKind:
				values = []protoreflect.Value{protoreflect.ValueOfString(""), protoreflect.ValueOfString("zh-CN 中文")}
			case protoreflect.EnumKind:
				values = []protoreflect.Value{protoreflect.ValueOfEnum(0), protoreflect.ValueOfEnum(-3), protoreflect.ValueOfEnum(190457)}
			case protoreflect.Int64Kind:
				values = []protoreflect.Value{protoreflect.ValueOfInt64(0), protoreflect.ValueOfInt64(-1), protoreflect.ValueOfInt64(1000190457)}
			case protoreflect.BoolKind:
				values = []protoreflect.Value{protoreflect.ValueOfBool(false), protoreflect.ValueOfBool(true)}
			case protoreflect.MessageKind:
				switch fd.Message().FullName() {
				case "google.rpc.Status":
					values = []protoreflect.Value{
						protoreflect.ValueOfMessage((&spb.Status{}).ProtoReflect()),
						protoreflect.ValueOfMessage((&spb.Status{Code: 8, Message: "m", Details: []*anypb.Any{{TypeUrl: "u", Value: []byte{1}}}}).ProtoReflect()),
					}
				case "google.protobuf.Duration":
					values = []protoreflect.Value{
						protoreflect.ValueOfMessage((&durationpb.Duration{}).ProtoReflect()),
						protoreflect.ValueOfMessage((&durationpb.Duration{Seconds: 61, Nanos: 500}).ProtoReflect()),
						protoreflect.ValueOfMessage((&durationpb.Duration{Seconds: -1, Nanos: -5}).ProtoReflect()),
					}
				}
			}
			if len(values) == 0 {
				t.Fatalf("field %s has kind %v, which this test does not know", fd.Name(), fd.Kind())
			}
			for _, v := range values {
				m := &errbridgev1.TranslateResponse{}
				m.ProtoReflect().Set(fd, v)
				if _, ok := encodeResponse(m, func(n int) []byte { return make([]byte, 0, n) }); !ok {
					t.Fatalf("the encoder declines %v", m)
				}
				if d := compareEncoders(c, m); d != "" {
					t.Error(d)
				}
			}
		})
	}
}

// TestEncodeMatchesProtobuf encodes the responses the service builds, and
// hand-made edge cases, with the codec and with protobuf-go.
func TestEncodeMatchesProtobuf(t *testing.T) {
	t.Parallel()
	c, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	withUnknown := func(m proto.Message) proto.Message {
		m.ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 7))
		return m
	}
	ok := &errbridgev1.TranslateBatchResult{Result: &errbridgev1.TranslateBatchResult_Response{Response: &errbridgev1.TranslateResponse{Reason: "R"}}}
	msgs := append(codecMessages(t),
		withUnknown(&errbridgev1.TranslateResponse{Reason: "R"}),
		&errbridgev1.TranslateResponse{Status: withUnknown(&spb.Status{Code: 3}).(*spb.Status)},
		&errbridgev1.TranslateResponse{RetryDelay: withUnknown(&durationpb.Duration{Seconds: 1}).(*durationpb.Duration)},
		&errbridgev1.TranslateResponse{Reason: "\xff"},
		&errbridgev1.TranslateResponse{Locale: "\xc3"},
		&errbridgev1.TranslateResponse{Status: &spb.Status{Message: "\xff"}},
		&errbridgev1.TranslateResponse{Status: &spb.Status{Details: []*anypb.Any{nil}}},
		&errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_RestCode{}},
		&errbridgev1.TranslateResponse{Entry: &errbridgev1.TranslateResponse_FallbackReason{FallbackReason: -2}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{ok, {}, ok}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{ok, nil}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{{Result: &errbridgev1.TranslateBatchResult_Response{}}}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{{Result: &errbridgev1.TranslateBatchResult_Error{}}}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{{Result: &errbridgev1.TranslateBatchResult_Error{Error: &spb.Status{Code: 3, Message: "bad"}}}}},
		&errbridgev1.TranslateBatchResponse{Results: []*errbridgev1.TranslateBatchResult{withUnknown(&errbridgev1.TranslateBatchResult{}).(*errbridgev1.TranslateBatchResult)}},
		withUnknown(&errbridgev1.TranslateBatchResponse{}),
		(*errbridgev1.TranslateResponse)(nil),
	)
	encoded := 0
	for i, m := range msgs {
		if _, ok := encodeResponse(m, func(n int) []byte { return make([]byte, 0, n) }); ok {
			encoded++
		}
		if d := compareEncoders(c, m); d != "" {
			t.Errorf("message %d: %s", i, d)
		}
	}
	if encoded < len(msgs)/3 {
		t.Errorf("the encoder wrote only %d of %d messages", encoded, len(msgs))
	}
}

// translateAndCompare translates a request the decoder produced, alone and
// as a batch, and compares the encoders on the responses.
func translateAndCompare(t *testing.T, c *codec, svc *service.Service, m proto.Message) {
	t.Helper()
	var resp proto.Message
	var err error
	switch r := m.(type) {
	case *errbridgev1.TranslateRequest:
		resp, err = svc.Translate(t.Context(), r)
	case *errbridgev1.TranslateBatchRequest:
		resp, err = svc.TranslateBatch(t.Context(), r)
	}
	if err != nil {
		return // an invalid request: its error is a grpc-go status, not a response
	}
	if d := compareEncoders(c, resp); d != "" {
		t.Fatal(d)
	}
}
