package catalog

import (
	"fmt"
	"io"
	"strings"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc/codes"
)

// WriteMarkdown writes the catalogue as a Markdown table: one row per code
// with its reason, gRPC code, retry policy, quota and English text. The
// README's mapping table is this output, kept current by a test.
func (c *Catalog) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| family | code | reason | gRPC code | retry | quota | meaning |\n")
	b.WriteString("| --- | ---: | --- | --- | --- | --- | --- |\n")
	for _, e := range c.entries {
		if e.IsSuccess() {
			continue
		}
		grpcCode := codeName(e.GRPCCode())
		if e.Spec.GetCodeFromHttpStatus() {
			grpcCode = "from HTTP status"
		}
		fmt.Fprintf(&b, "| %s | %d | `%s` | %s | %s | %s | %s |\n",
			FamilyName(e.Family), e.Code, e.Reason, grpcCode, retryText(e.Spec), quotaText(e.Spec.GetQuota()), cell(e.Spec.GetEnUs()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// FamilyName is a family's short lower-case name: "rest", "oauth",
// "fallback" (as in metric labels and messages).
func FamilyName(f errbridgev1.ApiFamily) string {
	return strings.ToLower(strings.TrimPrefix(f.String(), "API_FAMILY_"))
}

// codeName spells a gRPC code the way google/rpc/code.proto does.
func codeName(c codes.Code) string {
	var b strings.Builder
	for i, r := range c.String() {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	name := strings.ToUpper(b.String())
	if c == codes.Canceled {
		name = "CANCELLED"
	}
	return name
}

func retryText(s *errbridgev1.ErrorSpec) string {
	switch s.GetRetry() {
	case errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY:
		return "after " + s.GetRetryDelay().AsDuration().String()
	case errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW:
		return "next " + windowName(s.GetQuota().GetWindow())
	case errbridgev1.RetryPolicy_RETRY_POLICY_IF_IDEMPOTENT:
		return "if idempotent, after " + s.GetRetryDelay().AsDuration().String()
	}
	return "never"
}

func windowName(w errbridgev1.QuotaWindow) string {
	return strings.ToLower(strings.TrimPrefix(w.String(), "QUOTA_WINDOW_"))
}

func quotaText(q *errbridgev1.QuotaSpec) string {
	if q == nil {
		return ""
	}
	return cell(q.GetDescription())
}

// cell escapes text for a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
