package service

import (
	"context"
	"strconv"
	"unicode/utf8"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errorCodeResourceType is the ResourceInfo.resource_type of NOT_FOUND
// errors of GetErrorCode.
const errorCodeResourceType = "errbridge.v1.ErrorCode"

// maxEchoedReason bounds how many bytes of an unknown reason a NOT_FOUND
// status repeats.
const maxEchoedReason = 64

// GetErrorCode returns one catalogue entry: by reason when the request names
// one, else by family and code, where an unspecified family looks in REST
// and then OAuth. A request that names neither (code 0: success, which is no
// error code) is INVALID_ARGUMENT; an unknown entry is NOT_FOUND, whose
// ResourceInfo repeats an unknown reason in printable characters only.
func (s *Service) GetErrorCode(ctx context.Context, req *errbridgev1.GetErrorCodeRequest) (*errbridgev1.GetErrorCodeResponse, error) {
	return s.engine.Load().getErrorCode(ctx, req)
}

// getErrorCode is GetErrorCode on one engine's catalogue.
func (s *engine) getErrorCode(_ context.Context, req *errbridgev1.GetErrorCodeRequest) (*errbridgev1.GetErrorCodeResponse, error) {
	if reason := req.GetReason(); reason != "" {
		if !utf8.ValidString(reason) {
			return nil, violations(nil).add(-1, "reason", ViolationNotUTF8, "must be UTF-8").status("GetErrorCodeRequest").Err()
		}
		if e, ok := s.codes.cat.LookupReason(reason); ok {
			return &errbridgev1.GetErrorCodeResponse{ErrorCode: s.codes.byEntry[e]}, nil
		}
		shown := translate.Printable(reason, maxEchoedReason)
		return nil, notFound("no catalogued error code has reason "+strconv.Quote(shown), "reason/"+shown)
	}
	family, n := req.GetFamily(), req.GetCode()
	if n == 0 {
		return nil, violations(nil).add(-1, "code", ViolationCodeOrReasonRequired,
			"name a non-zero code or a reason: code 0 is success, not an error code").status("GetErrorCodeRequest").Err()
	}
	var e *catalog.Entry
	var ok bool
	var where string
	switch family {
	case errbridgev1.ApiFamily_API_FAMILY_UNSPECIFIED:
		if e, ok = s.codes.cat.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, n); !ok {
			e, ok = s.codes.cat.Lookup(errbridgev1.ApiFamily_API_FAMILY_OAUTH, n)
		}
		where = "the REST or OAuth catalogue"
	case errbridgev1.ApiFamily_API_FAMILY_REST:
		e, ok = s.codes.cat.Lookup(family, n)
		where = "the REST catalogue"
	case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
		e, ok = s.codes.cat.Lookup(family, n)
		where = "the OAuth catalogue"
	case errbridgev1.ApiFamily_API_FAMILY_FALLBACK:
		e, ok = s.codes.cat.Lookup(family, n)
		where = "the fallback reasons"
	default:
		return nil, violations(nil).add(-1, "family", ViolationFamilyInvalid,
			"unknown ApiFamily value "+strconv.Itoa(int(family))).status("GetErrorCodeRequest").Err()
	}
	if !ok {
		return nil, notFound("error code "+strconv.FormatInt(n, 10)+" is not in "+where,
			familyName(family)+"/"+strconv.FormatInt(n, 10))
	}
	return &errbridgev1.GetErrorCodeResponse{ErrorCode: s.codes.byEntry[e]}, nil
}

// familyName is the short name of a family in resource names.
func familyName(f errbridgev1.ApiFamily) string {
	switch f {
	case errbridgev1.ApiFamily_API_FAMILY_REST:
		return "rest"
	case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
		return "oauth"
	case errbridgev1.ApiFamily_API_FAMILY_FALLBACK:
		return "fallback"
	}
	return "any"
}

// notFound is a NOT_FOUND status error with a ResourceInfo detail.
func notFound(msg, resource string) error {
	st := status.New(codes.NotFound, msg)
	if withDetails, err := st.WithDetails(&errdetails.ResourceInfo{
		ResourceType: errorCodeResourceType,
		ResourceName: resource,
		Description:  msg,
	}); err == nil {
		st = withDetails
	}
	return st.Err()
}
