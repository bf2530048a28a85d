package server

import (
	"errors"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
)

// codec is the server's "proto" codec: grpc-go's own, except that it decodes
// TranslateRequest and TranslateBatchRequest with the request decoder
// (decode.go), which gives the same messages and errors as protobuf-go with
// a fraction of the allocations.
type codec struct {
	fallback encoding.CodecV2
	buffers  *responseBuffers
}

// newCodec returns the codec, built on grpc-go's registered proto codec.
func newCodec() (*codec, error) {
	fallback := encoding.GetCodecV2(grpcproto.Name)
	if fallback == nil {
		return nil, errors.New("server: grpc-go's proto codec is not registered")
	}
	return &codec{fallback: fallback, buffers: new(responseBuffers)}, nil
}

// Name is the content subtype the codec serves: "proto", as grpc-go's.
func (*codec) Name() string { return grpcproto.Name }

// Marshal encodes TranslateResponse and TranslateBatchResponse with the
// response encoder (encode.go), and everything else, or a response the
// encoder declines, with grpc-go's proto codec. Like grpc-go's, it pools
// buffers above mem's pooling threshold, from [responseBuffers].
func (c *codec) Marshal(v any) (mem.BufferSlice, error) {
	var pooled *[]byte
	out, ok := encodeResponse(v, func(size int) []byte {
		if mem.IsBelowBufferPoolingThreshold(size) {
			return make([]byte, 0, size)
		}
		pooled = c.buffers.Get(size)
		return (*pooled)[:0]
	})
	switch {
	case !ok: // declined before asking for a buffer
		return c.fallback.Marshal(v)
	case pooled == nil:
		return mem.BufferSlice{mem.SliceBuffer(out)}, nil
	}
	*pooled = out
	return mem.BufferSlice{mem.NewBuffer(pooled, c.buffers)}, nil
}

// Unmarshal decodes data into v, which grpc-go allocates for the call. A
// request takes a copy of data, since grpc-go reuses data's buffers.
func (c *codec) Unmarshal(data mem.BufferSlice, v any) error {
	if layout.ok {
		switch m := v.(type) {
		case *errbridgev1.TranslateRequest:
			return decodeTranslateRequest(materialize(data), m)
		case *errbridgev1.TranslateBatchRequest:
			return decodeTranslateBatchRequest(materialize(data), m)
		}
	}
	return c.fallback.Unmarshal(data, v)
}

// materialize copies data into one new slice.
func materialize(data mem.BufferSlice) []byte {
	b := make([]byte, data.Len())
	data.CopyTo(b)
	return b
}
