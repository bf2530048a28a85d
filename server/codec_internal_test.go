package server

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/grpc/encoding"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// codecRequests are requests of every shape: one per catalogued code (REST
// codes in the envelope, OAuth codes in their flat body), unknown codes,
// malformed bodies, headers, locales and both idempotency hints.
func codecRequests() []*errbridgev1.TranslateRequest {
	var reqs []*errbridgev1.TranslateRequest
	for i, e := range catalog.Default().Entries() {
		n := strconv.FormatInt(e.Code, 10)
		req := &errbridgev1.TranslateRequest{HttpStatus: 400, Method: "POST", Idempotent: i%2 == 0}
		switch e.Family {
		case errbridgev1.ApiFamily_API_FAMILY_REST:
			req.Body = []byte(`{"error_info":{"error_code":` + n + `,"new_error_code":` + n + `1,"message":"上游 message ` + n + `"}}`)
			req.Headers = map[string]string{"X-TC-Trace": "trace-" + n, "Content-Type": "application/json"}
			req.Locale = "zh-CN"
		case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
			req.Body = []byte(`{"code":` + n + `,"message":"oauth ` + n + `","nonce":"nonce-` + n + `"}`)
			req.Family = errbridgev1.ApiFamily_API_FAMILY_OAUTH
			req.Locale = "en-US"
		default:
			continue
		}
		reqs = append(reqs, req)
	}
	return append(reqs,
		&errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(`{"error_info":{"error_code":424242}}`)},
		&errbridgev1.TranslateRequest{HttpStatus: 502, Body: []byte(`<html>bad gateway</html>`), Headers: map[string]string{"Gw-Trace-Id": "gw"}},
		&errbridgev1.TranslateRequest{HttpStatus: 503},
		&errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"mess`), Locale: "zh-TW"},
		&errbridgev1.TranslateRequest{HttpStatus: 429, Body: []byte{}, Headers: map[string]string{"K": "", "k": ""}},
	)
}

// codecMessages are messages the codec meets: requests, and the responses the
// service builds for them, batches with an invalid item, the catalogue.
func codecMessages(t *testing.T) []proto.Message {
	t.Helper()
	svc, err := service.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := codecRequests()
	batch := &errbridgev1.TranslateBatchRequest{Requests: append(reqs, &errbridgev1.TranslateRequest{HttpStatus: 42})}
	var msgs []proto.Message
	for _, r := range reqs {
		resp, err := svc.Translate(t.Context(), r)
		if err != nil {
			t.Fatalf("Translate(%v): %v", r, err)
		}
		msgs = append(msgs, r, resp)
	}
	batchResp, err := svc.TranslateBatch(t.Context(), batch)
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.ListErrorCodes(t.Context(), &errbridgev1.ListErrorCodesRequest{PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	get, err := svc.GetErrorCode(t.Context(), &errbridgev1.GetErrorCodeRequest{Reason: "MEETING_NOT_FOUND"})
	if err != nil {
		t.Fatal(err)
	}
	return append(msgs, batch, batchResp, list, get,
		&errbridgev1.TranslateRequest{}, &errbridgev1.TranslateResponse{}, &errbridgev1.TranslateBatchResponse{},
		&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING})
}

// TestCodecRoundTrip encodes every message with the codec and decodes it
// with the codec: requests go through the request decoder, the rest through
// grpc-go's codec.
func TestCodecRoundTrip(t *testing.T) {
	t.Parallel()
	c, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range codecMessages(t) {
		data, err := c.Marshal(m)
		if err != nil {
			t.Fatalf("message %d (%T): %v", i, m, err)
		}
		back := m.ProtoReflect().New().Interface()
		if err := c.Unmarshal(data, back); err != nil {
			t.Fatalf("message %d (%T): %v", i, m, err)
		}
		data.Free()
		if !proto.Equal(back, m) {
			t.Errorf("message %d (%T) does not survive the round trip:\n got %v\nwant %v", i, m, back, m)
		}
	}
}

// TestDecoderKnowsEveryField checks that the request decoder is in use, and
// walks every field of TranslateRequest, as the generated descriptor has
// it: a request with only that field set decodes as protobuf-go decodes it.
// A field added to the proto without the decoder learning it fails here
// (and turns the decoder off in the server, which then uses protobuf-go).
func TestDecoderKnowsEveryField(t *testing.T) {
	t.Parallel()
	if !layout.ok {
		t.Fatal("the request decoder does not match TranslateRequest's descriptor and is off")
	}
	fds := (&errbridgev1.TranslateRequest{}).ProtoReflect().Descriptor().Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		t.Run(string(fd.Name()), func(t *testing.T) {
			m := &errbridgev1.TranslateRequest{}
			r := m.ProtoReflect()
			switch {
			case fd.IsMap():
				r.Mutable(fd).Map().Set(protoreflect.ValueOfString("X-TC-Trace").MapKey(), protoreflect.ValueOfString("值"))
			case fd.Kind() == protoreflect.Int32Kind:
				r.Set(fd, protoreflect.ValueOfInt32(-7))
			case fd.Kind() == protoreflect.BytesKind:
				r.Set(fd, protoreflect.ValueOfBytes([]byte{0, 0xff, '{'}))
			case fd.Kind() == protoreflect.StringKind:
				r.Set(fd, protoreflect.ValueOfString("zh-CN 中文"))
			case fd.Kind() == protoreflect.EnumKind:
				r.Set(fd, protoreflect.ValueOfEnum(99))
			case fd.Kind() == protoreflect.BoolKind:
				r.Set(fd, protoreflect.ValueOfBool(true))
			default:
				t.Fatalf("field %s has kind %v, which this test does not know", fd.Name(), fd.Kind())
			}
			raw, err := proto.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var got errbridgev1.TranslateRequest
			if err := decodeTranslateRequest(raw, &got); err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(&got, m) || len(got.ProtoReflect().GetUnknown()) != 0 {
				t.Errorf("decoded %v, want %v", &got, m)
			}
		})
	}
}

// TestDecodeMatchesProtobuf decodes requests, batches and hand-made edge
// cases with the request decoder and with protobuf-go: the same message, or
// an error from both.
func TestDecodeMatchesProtobuf(t *testing.T) {
	t.Parallel()
	var inputs [][]byte
	for _, r := range codecRequests() {
		raw, _ := proto.Marshal(r)
		batch, _ := proto.Marshal(&errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{r, {}, r}})
		inputs = append(inputs, raw, batch, raw[:len(raw)/2])
	}
	tag := func(num protowire.Number, typ protowire.Type) []byte { return protowire.AppendTag(nil, num, typ) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	inputs = append(inputs,
		nil,
		cat(tag(1, protowire.VarintType), protowire.AppendVarint(nil, 1<<40)), // http_status truncated to int32
		cat(tag(1, protowire.BytesType), []byte{1, 'x'}),                      // known field, wrong wire type: unknown
		cat(tag(99, protowire.Fixed32Type), []byte{1, 2, 3, 4}),               // unknown field
		cat(tag(99, protowire.StartGroupType), tag(1, protowire.VarintType), []byte{1}, tag(99, protowire.EndGroupType)),
		cat(tag(99, protowire.StartGroupType), tag(98, protowire.EndGroupType)),                         // unbalanced group
		cat(tag(4, protowire.EndGroupType)),                                                             // stray end of group
		[]byte{0x80, 0x01},                                                                              // a tag for field 16 with no value
		[]byte{0x00},                                                                                    // field number 0
		[]byte{0xf8, 0xff, 0xff, 0xff, 0x0f, 0x00},                                                      // a field number above 2^29-1
		cat(tag(4, protowire.BytesType), []byte{2, 0xff, 0xfe}),                                         // locale not UTF-8
		cat(tag(4, protowire.BytesType), []byte{2, 0xff, 0xfe}, tag(4, protowire.BytesType), []byte{0}), // replaced, still refused
		cat(tag(3, protowire.BytesType), []byte{0}),                                                     // empty map entry
		cat(tag(3, protowire.BytesType), []byte{4, 0x08, 0x01, 0x12, 0x00}),                             // key of the wrong wire type
		cat(tag(3, protowire.BytesType), []byte{4, 0x0a, 0x05, 'a', 'b'}),                               // key overruns the entry
		cat(tag(3, protowire.BytesType), []byte{3, 0x12, 0x01, 0xff}),                                   // value not UTF-8
		cat(tag(3, protowire.BytesType), []byte{2, 0x1c, 0x00}),                                         // end of group in an entry
		cat(tag(3, protowire.BytesType), []byte{4, 0x0a, 0x01, 'k', 0x2a}, tag(3, protowire.BytesType), []byte{5, 0x0a, 0x01, 'k', 0x12, 0x00}),
		cat(tag(2, protowire.BytesType), []byte{0}, tag(2, protowire.BytesType), []byte{1, 'b'}), // last body wins
	)
	for i, in := range inputs {
		for _, newMsg := range []func() proto.Message{
			func() proto.Message { return new(errbridgev1.TranslateRequest) },
			func() proto.Message { return new(errbridgev1.TranslateBatchRequest) },
		} {
			if err := compareDecoders(newMsg, in); err != "" {
				t.Errorf("input %d %x: %s", i, in, err)
			}
		}
	}
}

// compareDecoders decodes in with protobuf-go and with the request decoder,
// and describes how they differ ("" when they agree).
func compareDecoders(newMsg func() proto.Message, in []byte) string {
	want, got := newMsg(), newMsg()
	werr := proto.Unmarshal(in, want)
	var gerr error
	switch m := got.(type) {
	case *errbridgev1.TranslateRequest:
		gerr = decodeTranslateRequest(bytes.Clone(in), m)
	case *errbridgev1.TranslateBatchRequest:
		gerr = decodeTranslateBatchRequest(bytes.Clone(in), m)
	}
	switch {
	case (werr == nil) != (gerr == nil):
		return fmt.Sprintf("%T: protobuf-go says %v, the decoder %v", want, werr, gerr)
	case werr == nil && !proto.Equal(want, got):
		return fmt.Sprintf("%T: protobuf-go decoded %v, the decoder %v", want, want, got)
	case werr != nil && strings.Contains(werr.Error(), "UTF-8") != errors.Is(gerr, errInvalidUTF8):
		return fmt.Sprintf("%T: protobuf-go says %q, the decoder %q", want, werr, gerr)
	}
	return ""
}

// TestDecodedRequestOwnsItsBytes checks that a request decoded by the codec
// shares no memory with the buffers it came from, which grpc-go reuses.
func TestDecodedRequestOwnsItsBytes(t *testing.T) {
	t.Parallel()
	c, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	want := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003}}`),
		Headers: map[string]string{"X-TC-Trace": "abc"}, Locale: "zh-CN", Method: "GET"}
	raw, err := proto.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got errbridgev1.TranslateRequest
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(raw[:7]), mem.SliceBuffer(raw[7:])}, &got); err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = 'Z'
	}
	if !proto.Equal(&got, want) {
		t.Errorf("overwriting the input changed the decoded request: %v", &got)
	}
}

// FuzzDecodeMatchesProtobuf decodes arbitrary bytes as a TranslateRequest
// and as a TranslateBatchRequest with the request decoder and with
// protobuf-go, which must agree: the same message, or the same error. It
// then translates what decoded, and the response encoder and protobuf-go
// must encode the response alike.
func FuzzDecodeMatchesProtobuf(f *testing.F) {
	svc, err := service.New(nil)
	if err != nil {
		f.Fatal(err)
	}
	c, err := newCodec()
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range codecRequests() {
		raw, err := proto.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
		batch, err := proto.Marshal(&errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{r, r}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(batch)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, newMsg := range []func() proto.Message{
			func() proto.Message { return new(errbridgev1.TranslateRequest) },
			func() proto.Message { return new(errbridgev1.TranslateBatchRequest) },
		} {
			if err := compareDecoders(newMsg, in); err != "" {
				t.Fatal(err)
			}
			if m := newMsg(); proto.Unmarshal(in, m) == nil {
				translateAndCompare(t, c, svc, m)
			}
		}
	})
}

// BenchmarkCodec compares the codec with grpc-go's (protobuf-go) on a typical
// request (two headers) and its response, on a batch of 100 of them, and on
// a batch of 100 different codes.
func BenchmarkCodec(b *testing.B) {
	svc, err := service.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	req := fixture.TypicalRequest()
	batch := fixture.Batch(req, 100)
	resp, err := svc.Translate(b.Context(), req)
	if err != nil {
		b.Fatal(err)
	}
	batchResp, err := svc.TranslateBatch(b.Context(), batch)
	if err != nil {
		b.Fatal(err)
	}
	mixed := fixture.MixedBatch(100)
	mixedResp, err := svc.TranslateBatch(b.Context(), mixed)
	if err != nil {
		b.Fatal(err)
	}
	one, _ := proto.Marshal(req)
	hundred, _ := proto.Marshal(batch)
	hundredMixed, _ := proto.Marshal(mixed)
	c, err := newCodec()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		raw  []byte
		msg  func() proto.Message
		resp proto.Message
	}{
		{"request", one, func() proto.Message { return new(errbridgev1.TranslateRequest) }, resp},
		{"batch100", hundred, func() proto.Message { return new(errbridgev1.TranslateBatchRequest) }, batchResp},
		{"batch100mixed", hundredMixed, func() proto.Message { return new(errbridgev1.TranslateBatchRequest) }, mixedResp},
	} {
		data := mem.BufferSlice{mem.SliceBuffer(bc.raw)}
		for _, impl := range []struct {
			name  string
			codec encoding.CodecV2
		}{{"protobuf-go", c.fallback}, {"errbridge", c}} {
			b.Run("decode/"+bc.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := impl.codec.Unmarshal(data, bc.msg()); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("encode/"+bc.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					out, err := impl.codec.Marshal(bc.resp)
					if err != nil {
						b.Fatal(err)
					}
					out.Free()
				}
			})
		}
	}
}
