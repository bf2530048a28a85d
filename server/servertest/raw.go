package servertest

import (
	"testing"

	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
)

// RawCodec is a client codec for messages already encoded: it sends the
// bytes of a *[]byte as they are, whatever they hold, and receives into one.
// Use it with grpc.ForceCodecV2 to send malformed messages, or to encode a
// large request once however often it is sent.
type RawCodec struct{}

// Name is "proto", the content subtype the server expects.
func (RawCodec) Name() string { return "proto" }

// Marshal returns the bytes of v, a *[]byte.
func (RawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}

// Unmarshal copies data into v, a *[]byte.
func (RawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

// MustMarshal encodes m, failing the test if it cannot.
func MustMarshal(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
