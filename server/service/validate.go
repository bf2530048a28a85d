package service

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Reasons of the field violations the service reports, stable for callers
// that branch on them.
const (
	ViolationHTTPStatusOutOfRange = "HTTP_STATUS_OUT_OF_RANGE"
	ViolationBodyTooLarge         = "BODY_TOO_LARGE"
	ViolationLocaleMalformed      = "LOCALE_MALFORMED"
	ViolationFamilyInvalid        = "FAMILY_INVALID"
	ViolationTooManyHeaders       = "TOO_MANY_HEADERS"
	ViolationHeaderInvalid        = "HEADER_INVALID"
	ViolationMethodTooLong        = "METHOD_TOO_LONG"
	ViolationBatchEmpty           = "BATCH_EMPTY"
	ViolationBatchTooLarge        = "BATCH_TOO_LARGE"
	ViolationPageSizeNegative     = "PAGE_SIZE_NEGATIVE"
	ViolationPageTokenInvalid     = "PAGE_TOKEN_INVALID"
	ViolationGRPCCodeInvalid      = "GRPC_CODE_INVALID"
	// ViolationCodeOrReasonRequired marks a GetErrorCode request that names
	// neither a code nor a reason (code 0 is success, not an error code).
	ViolationCodeOrReasonRequired = "CODE_OR_REASON_REQUIRED"
	// ViolationNotUTF8 marks a string field that is not UTF-8, which
	// protobuf requires of every string (headers report HEADER_INVALID).
	ViolationNotUTF8 = "NOT_UTF8"
)

// violations is a list of field violations; nil means none, and a valid
// request allocates nothing.
type violations []*errdetails.BadRequest_FieldViolation

// add appends a violation of field, which is prefixed with requests[item].
// when item is not negative.
func (v violations) add(item int, field, reason, description string) violations {
	if item >= 0 {
		field = "requests[" + strconv.Itoa(item) + "]." + field
	}
	return append(v, &errdetails.BadRequest_FieldViolation{Field: field, Description: description, Reason: reason})
}

// status is the INVALID_ARGUMENT status of a non-empty list of violations,
// with a BadRequest detail holding them all. what names the invalid message.
func (v violations) status(what string) *status.Status {
	var b strings.Builder
	b.WriteString("invalid ")
	b.WriteString(what)
	b.WriteString(": ")
	b.WriteString(v[0].GetField())
	b.WriteString(": ")
	b.WriteString(v[0].GetDescription())
	if len(v) > 1 {
		b.WriteString(" (and ")
		b.WriteString(strconv.Itoa(len(v) - 1))
		b.WriteString(" more)")
	}
	st := status.New(codes.InvalidArgument, b.String())
	if withDetails, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: v}); err == nil {
		st = withDetails
	}
	return st
}

// ValidateTranslateRequest checks one request against limits, as Translate
// does. It returns nil for a valid request, and otherwise an INVALID_ARGUMENT
// status error with a google.rpc.BadRequest detail naming every offending
// field. It never echoes a header value or the body.
func ValidateTranslateRequest(req *errbridgev1.TranslateRequest, limits Limits) error {
	if v := checkTranslateRequest(req, limits, -1, nil, nil); v != nil {
		return v.status("TranslateRequest").Err()
	}
	return nil
}

// checkTranslateRequest appends the violations of req to v. item is the
// index of req in a batch, or -1 for a single request. When req is valid
// and trace is not nil, trace has seen every header of req.
func checkTranslateRequest(req *errbridgev1.TranslateRequest, limits Limits, item int, v violations, trace *translate.TraceFinder) violations {
	if s := req.GetHttpStatus(); s < 100 || s > 599 {
		v = v.add(item, "http_status", ViolationHTTPStatusOutOfRange,
			"must be an HTTP status from 100 to 599, got "+strconv.Itoa(int(s)))
	}
	if n := len(req.GetBody()); n > limits.MaxBodyBytes {
		v = v.add(item, "body", ViolationBodyTooLarge,
			"is "+strconv.Itoa(n)+" bytes long; at most "+strconv.Itoa(limits.MaxBodyBytes)+" are accepted")
	}
	if l := req.GetLocale(); l != "" {
		if err := translate.CheckLocale(l); err != nil {
			v = v.add(item, "locale", ViolationLocaleMalformed,
				"must be a valid BCP-47 language tag such as zh-CN or en-US: "+err.Error())
		}
	}
	switch f := req.GetFamily(); f {
	case errbridgev1.ApiFamily_API_FAMILY_UNSPECIFIED, errbridgev1.ApiFamily_API_FAMILY_REST, errbridgev1.ApiFamily_API_FAMILY_OAUTH:
	case errbridgev1.ApiFamily_API_FAMILY_FALLBACK:
		v = v.add(item, "family", ViolationFamilyInvalid,
			"API_FAMILY_FALLBACK is not an upstream API; use API_FAMILY_REST, API_FAMILY_OAUTH, or leave it unspecified")
	default:
		v = v.add(item, "family", ViolationFamilyInvalid, "unknown ApiFamily value "+strconv.Itoa(int(f)))
	}
	method := req.GetMethod()
	if len(method) > MaxMethodBytes {
		v = v.add(item, "method", ViolationMethodTooLong,
			"is "+strconv.Itoa(len(method))+" bytes long; at most "+strconv.Itoa(MaxMethodBytes)+" are accepted")
	}
	if !utf8.ValidString(method) {
		v = v.add(item, "method", ViolationNotUTF8, "must be UTF-8")
	}
	return checkHeaders(req.GetHeaders(), item, v, trace)
}

// checkHeaders appends the violations of a request's headers to v, in name
// order. Values are never echoed: they may be secrets.
func checkHeaders(headers map[string]string, item int, v violations, trace *translate.TraceFinder) violations {
	if len(headers) > MaxHeaders {
		return v.add(item, "headers", ViolationTooManyHeaders,
			"has "+strconv.Itoa(len(headers))+" entries; at most "+strconv.Itoa(MaxHeaders)+" are accepted")
	}
	var bad []string
	for name, value := range headers {
		if name == "" || len(name) > MaxHeaderNameBytes || len(value) > MaxHeaderValueBytes ||
			!utf8.ValidString(name) || !utf8.ValidString(value) {
			bad = append(bad, name)
		}
		if trace != nil {
			trace.See(name, value)
		}
	}
	slices.Sort(bad)
	for _, name := range bad {
		var desc string
		switch {
		case name == "":
			desc = "a header name is empty"
		case len(name) > MaxHeaderNameBytes:
			desc = "a header name is " + strconv.Itoa(len(name)) + " bytes long; at most " +
				strconv.Itoa(MaxHeaderNameBytes) + " are accepted"
		case !utf8.ValidString(name):
			desc = "header name " + strconv.Quote(name) + " is not UTF-8"
		case len(headers[name]) > MaxHeaderValueBytes:
			desc = "the value of header " + strconv.Quote(name) + " is " + strconv.Itoa(len(headers[name])) +
				" bytes long; at most " + strconv.Itoa(MaxHeaderValueBytes) + " are accepted"
		default:
			desc = "the value of header " + strconv.Quote(name) + " is not UTF-8"
		}
		v = v.add(item, "headers", ViolationHeaderInvalid, desc)
	}
	return v
}
