package main

import (
	"context"
	"errors"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
)

// cannedCall is the message of a canned call: the answers of its method,
// what the codec found there for the request, and the response bytes it
// then sends.
type cannedCall struct {
	from   *answers
	answer []byte
}

// codec is grpc-go's proto codec, except that it answers a cannedCall from
// its answers when it decodes it, and sends its bytes as they are.
type codec struct{ proto encoding.CodecV2 }

func newCodec() (*codec, error) {
	p := encoding.GetCodecV2(grpcproto.Name)
	if p == nil {
		return nil, errors.New("grpc-go's proto codec is not registered")
	}
	return &codec{proto: p}, nil
}

func (*codec) Name() string { return grpcproto.Name }

func (c *codec) Marshal(v any) (mem.BufferSlice, error) {
	if m, ok := v.(*cannedCall); ok {
		return mem.BufferSlice{mem.SliceBuffer(m.answer)}, nil
	}
	return c.proto.Marshal(v)
}

func (c *codec) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(*cannedCall)
	if !ok {
		return c.proto.Unmarshal(data, v)
	}
	if len(data) == 1 {
		m.answer = m.from.lookup(data[0].ReadOnlyData())
		return nil
	}
	m.answer = m.from.lookup(data.Materialize())
	return nil
}

// translatorDesc serves errbridge.v1.TranslatorService's Translate from
// translate and, when batch is not nil, its TranslateBatch from batch.
func translatorDesc(translate, batch *answers) *grpc.ServiceDesc {
	d := &grpc.ServiceDesc{
		ServiceName: errbridgev1.TranslatorService_ServiceDesc.ServiceName,
		HandlerType: (*any)(nil),
		Methods:     []grpc.MethodDesc{{MethodName: "Translate", Handler: cannedHandler(translate)}},
		Metadata:    errbridgev1.TranslatorService_ServiceDesc.Metadata,
	}
	if batch != nil {
		d.Methods = append(d.Methods, grpc.MethodDesc{MethodName: "TranslateBatch", Handler: cannedHandler(batch)})
	}
	return d
}

// cannedHandler answers a method's calls from a.
func cannedHandler(a *answers) grpc.MethodHandler {
	return func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		m := &cannedCall{from: a}
		if err := dec(m); err != nil {
			return nil, err
		}
		if m.answer == nil {
			return nil, status.Error(codes.NotFound, "the request is not in the canned data")
		}
		return m, nil
	}
}
