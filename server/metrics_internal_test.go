package server

import (
	"testing"

	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/internal/promreg/promregtest"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
)

// TestRetiredReasonsStayDeleted: a translation counted under the old
// catalogue while an overlay's reason is retired leaves no series of it.
func TestRetiredReasonsStayDeleted(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := newMetrics(reg, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	promregtest.CheckRetirement(t, reg, "errbridge_translations_total",
		func(c codes.Code, reason string) { m.countTranslation(reason, code.Code(c)) }, m.setCatalog)
}
