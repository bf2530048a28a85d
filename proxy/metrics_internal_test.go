package proxy

import (
	"testing"

	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/internal/promreg/promregtest"
	"github.com/prometheus/client_golang/prometheus"
)

// TestRetiredReasonsStayDeleted: a request counted under the old catalogue
// while an overlay's reason is retired leaves no series of it.
func TestRetiredReasonsStayDeleted(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := newMetrics(reg, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	promregtest.CheckRetirement(t, reg, "errbridge_proxy_requests_total", m.count, m.setCatalog)
}
