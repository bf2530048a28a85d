package client

import (
	"context"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Local runs TranslatorService in process: the same validation and answers
// as a server with the same limits, without a network hop. It is safe for
// concurrent use.
type Local struct {
	svc *service.Service
}

// NewLocal returns an in-process translator over t (the default translator
// when nil), with the service's limits set by opts (the server's defaults
// otherwise).
func NewLocal(t *translate.Translator, opts ...service.Option) (*Local, error) {
	svc, err := service.New(t, opts...)
	if err != nil {
		return nil, err
	}
	return &Local{svc: svc}, nil
}

// ctxErr is the status error a remote call would end with for a context
// that is already done.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return status.FromContextError(err).Err()
	}
	return nil
}

// Translate translates one upstream response in process.
func (l *Local) Translate(ctx context.Context, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	return l.svc.Translate(ctx, req)
}

// TranslateBatch translates many responses in process.
func (l *Local) TranslateBatch(ctx context.Context, req *errbridgev1.TranslateBatchRequest) (*errbridgev1.TranslateBatchResponse, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	return l.svc.TranslateBatch(ctx, req)
}

// ListErrorCodes pages through the catalogue. The entries are copies, which
// the caller may modify.
func (l *Local) ListErrorCodes(ctx context.Context, req *errbridgev1.ListErrorCodesRequest) (*errbridgev1.ListErrorCodesResponse, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	resp, err := l.svc.ListErrorCodes(ctx, req)
	if err != nil {
		return nil, err
	}
	return proto.CloneOf(resp), nil
}

// GetErrorCode returns one catalogue entry, as a copy.
func (l *Local) GetErrorCode(ctx context.Context, req *errbridgev1.GetErrorCodeRequest) (*errbridgev1.GetErrorCodeResponse, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	resp, err := l.svc.GetErrorCode(ctx, req)
	if err != nil {
		return nil, err
	}
	return proto.CloneOf(resp), nil
}
