package client

import (
	"context"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
)

// Translator is errbridge's TranslatorService as a Go interface, implemented
// by the remote [Client] and the in-process [Local] alike. Errors are gRPC
// status errors in both: INVALID_ARGUMENT with a google.rpc.BadRequest
// detail for an invalid request, NOT_FOUND for an unknown catalogue entry.
type Translator interface {
	// Translate translates one upstream response.
	Translate(ctx context.Context, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error)
	// TranslateBatch translates many responses; results[i] is requests[i].
	TranslateBatch(ctx context.Context, req *errbridgev1.TranslateBatchRequest) (*errbridgev1.TranslateBatchResponse, error)
	// ListErrorCodes pages through the catalogue.
	ListErrorCodes(ctx context.Context, req *errbridgev1.ListErrorCodesRequest) (*errbridgev1.ListErrorCodesResponse, error)
	// GetErrorCode returns one catalogue entry.
	GetErrorCode(ctx context.Context, req *errbridgev1.GetErrorCodeRequest) (*errbridgev1.GetErrorCodeResponse, error)
}

var (
	_ Translator = (*Client)(nil)
	_ Translator = (*Local)(nil)
)
