package service

import (
	"context"
	"strconv"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// Page sizes of ListErrorCodes.
const (
	// DefaultPageSize is the page size when a request asks for none.
	DefaultPageSize = 50
	// MaxPageSize caps the page size; larger requests get this many.
	MaxPageSize = 500
)

// ListErrorCodes pages through the catalogue in family-then-code order,
// filtered by family and gRPC code. A page token is accepted only with the
// filter it was issued for.
func (s *Service) ListErrorCodes(ctx context.Context, req *errbridgev1.ListErrorCodesRequest) (*errbridgev1.ListErrorCodesResponse, error) {
	return s.engine.Load().listErrorCodes(ctx, req)
}

// listErrorCodes is ListErrorCodes on one engine's catalogue.
func (s *engine) listErrorCodes(_ context.Context, req *errbridgev1.ListErrorCodesRequest) (*errbridgev1.ListErrorCodesResponse, error) {
	var v violations
	size := int(req.GetPageSize())
	switch {
	case size < 0:
		v = v.add(-1, "page_size", ViolationPageSizeNegative, "must not be negative, got "+strconv.Itoa(size))
	case size == 0:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize
	}
	family := req.GetFamily()
	if _, known := errbridgev1.ApiFamily_name[int32(family)]; !known {
		v = v.add(-1, "family", ViolationFamilyInvalid, "unknown ApiFamily value "+strconv.Itoa(int(family)))
	}
	grpcCode, hasCode := req.GetGrpcCode(), req.GrpcCode != nil
	if hasCode && (grpcCode < code.Code_OK || grpcCode > code.Code_UNAUTHENTICATED) {
		v = v.add(-1, "grpc_code", ViolationGRPCCodeInvalid, "unknown google.rpc.Code value "+strconv.Itoa(int(grpcCode)))
	}
	if v != nil {
		return nil, v.status("ListErrorCodesRequest").Err()
	}

	matched := make([]*errbridgev1.ErrorCode, 0, len(s.codes.entries))
	for i, e := range s.codes.entries {
		if matches(e, family, grpcCode, hasCode) {
			matched = append(matched, s.codes.all[i])
		}
	}
	fp := filterFingerprint(int32(family), int32(grpcCode), hasCode, len(s.codes.entries))
	offset := 0
	if t := req.GetPageToken(); t != "" {
		tok, err := decodePageToken(t)
		switch {
		case err != nil:
			v = v.add(-1, "page_token", ViolationPageTokenInvalid, "is not a page token issued by ListErrorCodes")
		case tok.fingerprint != fp:
			v = v.add(-1, "page_token", ViolationPageTokenInvalid,
				"was issued for a different filter: repeat the family and grpc_code of the call that returned it")
		case tok.offset <= 0 || tok.offset >= len(matched):
			v = v.add(-1, "page_token", ViolationPageTokenInvalid, "points past the end of the list")
		default:
			offset = tok.offset
		}
		if v != nil {
			return nil, v.status("ListErrorCodesRequest").Err()
		}
	}
	end := min(offset+size, len(matched))
	resp := &errbridgev1.ListErrorCodesResponse{
		ErrorCodes: matched[offset:end:end],
		TotalSize:  int32(len(matched)),
	}
	if end < len(matched) {
		resp.NextPageToken = pageToken{offset: end, fingerprint: fp}.encode()
	}
	return resp, nil
}

// matches reports whether an entry passes a ListErrorCodes filter. Entries
// whose gRPC code follows the HTTP status match no grpc_code filter.
func matches(e *catalog.Entry, family errbridgev1.ApiFamily, grpcCode code.Code, hasCode bool) bool {
	if family != errbridgev1.ApiFamily_API_FAMILY_UNSPECIFIED && e.Family != family {
		return false
	}
	if hasCode && (e.Spec.GetCodeFromHttpStatus() || e.Spec.GetGrpcCode() != grpcCode) {
		return false
	}
	return true
}
