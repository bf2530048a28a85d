package servertest

import (
	"testing"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// Codes of the overlay of [OverlayTranslator].
const (
	// OverlayAddedCode is the REST code the overlay adds, as FAILED_PRECONDITION
	// "Added.".
	OverlayAddedCode = 999001
	// OverlayReplacedCode is the built-in REST code (MEETING_NOT_FOUND) whose
	// spec the overlay replaces with FAILED_PRECONDITION "Replaced.".
	OverlayReplacedCode = 9003
)

// OverlayTranslator returns a translator whose catalogue is the built-in one
// with an overlay from "/etc/errbridge/overlay.textproto": it adds
// [OverlayAddedCode] with reason, and replaces the spec of
// [OverlayReplacedCode].
func OverlayTranslator(tb testing.TB, reason string) *translate.Translator {
	tb.Helper()
	spec := func(en string) *errbridgev1.ErrorSpec {
		return &errbridgev1.ErrorSpec{GrpcCode: code.Code_FAILED_PRECONDITION, Retry: errbridgev1.RetryPolicy_RETRY_POLICY_NEVER, ZhCn: "测试。", EnUs: en}
	}
	cat, err := catalog.Default().WithOverlay(&errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: OverlayAddedCode, Reason: reason, Spec: spec("Added.")},
		{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: OverlayReplacedCode, Spec: spec("Replaced.")},
	}}, "/etc/errbridge/overlay.textproto")
	if err != nil {
		tb.Fatalf("overlay: %v", err)
	}
	t, err := translate.New(translate.WithCatalog(cat))
	if err != nil {
		tb.Fatalf("translate.New: %v", err)
	}
	return t
}
