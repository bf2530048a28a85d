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

// cannedCall is the message of a canned Translate: what the codec found
// for the request, and the response bytes it then sends.
type cannedCall struct{ answer []byte }

// codec is grpc-go's proto codec, except that it answers a cannedCall from
// the answers when it decodes it, and sends its bytes as they are.
type codec struct {
	proto   encoding.CodecV2
	answers *answers
}

func newCodec(a *answers) (*codec, error) {
	p := encoding.GetCodecV2(grpcproto.Name)
	if p == nil {
		return nil, errors.New("grpc-go's proto codec is not registered")
	}
	return &codec{proto: p, answers: a}, nil
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
		m.answer = c.answers.lookup(data[0].ReadOnlyData())
		return nil
	}
	m.answer = c.answers.lookup(data.Materialize())
	return nil
}

// translatorDesc serves errbridge.v1.TranslatorService/Translate only.
var translatorDesc = grpc.ServiceDesc{
	ServiceName: errbridgev1.TranslatorService_ServiceDesc.ServiceName,
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Translate",
		Handler: func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			m := &cannedCall{}
			if err := dec(m); err != nil {
				return nil, err
			}
			if m.answer == nil {
				return nil, status.Error(codes.NotFound, "the request is not in the canned data")
			}
			return m, nil
		},
	}},
	Metadata: errbridgev1.TranslatorService_ServiceDesc.Metadata,
}
