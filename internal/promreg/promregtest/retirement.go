// Package promregtest checks what errbridge's metrics promise across
// catalogue reloads.
package promregtest

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
)

// RetiredReason is the reason of the overlay entry CheckRetirement adds.
const RetiredReason = "TEST_RETIRED"

// CheckRetirement counts RetiredReason with count, from two goroutines and
// under 16 codes (those the entry does not fix get their series on first
// use), while setCatalog swaps 300 times between the built-in catalogue
// with an overlay entry of that reason and the one without, ending without
// it. It then fails t if reg still holds a series of family with that
// reason: a count that began under the old catalogue brought a deleted
// series back.
func CheckRetirement(t testing.TB, reg *prometheus.Registry, family string, count func(codes.Code, string), setCatalog func(*catalog.Catalog)) {
	t.Helper()
	base := catalog.Default()
	with, err := base.WithOverlay(&errbridgev1.CatalogOverlay{Entries: []*errbridgev1.OverlayEntry{{
		Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 999002, Reason: RetiredReason,
		Spec: &errbridgev1.ErrorSpec{GrpcCode: code.Code_ABORTED, Retry: errbridgev1.RetryPolicy_RETRY_POLICY_NEVER, ZhCn: "测试。", EnUs: "Test."},
	}}}, "test.textproto")
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				count(codes.Code(1+(i+w)%16), RetiredReason)
			}
		})
	}
	for range 300 {
		setCatalog(with)
		setCatalog(base)
	}
	stop.Store(true)
	wg.Wait()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range families {
		if f.GetName() != family {
			continue
		}
		for _, s := range f.GetMetric() {
			seen++
			for _, l := range s.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == RetiredReason {
					t.Fatalf("a series of %s outlived the catalogue that held it: %v", RetiredReason, s.GetLabel())
				}
			}
		}
	}
	if seen == 0 {
		t.Fatalf("no %s series at all: the check reads the wrong family", family)
	}
}
