package catalog

import (
	"strings"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Entry is one catalogued code: an enum value and its spec. Entries are
// shared and must be treated as read-only.
type Entry struct {
	// Family is the upstream API the code belongs to, or
	// [errbridgev1.ApiFamily_API_FAMILY_FALLBACK] for errbridge's own reasons.
	Family errbridgev1.ApiFamily
	// Code is the upstream code: the enum value number.
	Code int64
	// Name is the full enum value name, e.g. "REST_ERROR_CODE_MEETING_NOT_FOUND".
	Name string
	// Reason is Name without the enum's prefix: the ErrorInfo reason.
	Reason string
	// Spec is the code's canonical meaning, from the `spec` option.
	Spec *errbridgev1.ErrorSpec
	// Value is the enum value's descriptor, or nil for a code that only the
	// catalogue overlay has (see [Catalog.WithOverlay]).
	Value protoreflect.EnumValueDescriptor
	// Source says whether the entry is built in or comes from an overlay.
	Source errbridgev1.ErrorCodeSource
	// OverlayFile is the base name of the overlay file of an overlay entry,
	// and empty for a built-in one.
	OverlayFile string
}

// GRPCCode is the entry's canonical gRPC code. For entries whose code comes
// from the HTTP status it is [codes.Unknown]; see [CodeForHTTPStatus].
func (e *Entry) GRPCCode() codes.Code {
	if e.Spec.GetCodeFromHttpStatus() {
		return codes.Unknown
	}
	return codes.Code(e.Spec.GetGrpcCode())
}

// IsSuccess reports whether the entry is a family's success value (code 0).
func (e *Entry) IsSuccess() bool { return e.Code == 0 }

// enumPrefix is the value-name prefix buf's STANDARD lint requires of enum
// values: the enum name in UPPER_SNAKE_CASE followed by an underscore.
func enumPrefix(ed protoreflect.EnumDescriptor) string {
	name := string(ed.Name())
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String()) + "_"
}
