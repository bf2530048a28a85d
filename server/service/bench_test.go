package service_test

import (
	"context"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/errbridge/errbridge/server/service"
)

// BenchmarkService measures the service in process: validation, the
// engine and response building, without gRPC, for one request, a batch of
// 100 copies of it, and a batch of 100 different codes.
func BenchmarkService(b *testing.B) {
	svc, err := service.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	req := fixture.TypicalRequest()
	batch := fixture.Batch(req, 100)
	mixed := fixture.MixedBatch(100)
	ctx := context.Background()
	b.Run("Translate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Translate(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, bt := range map[string]*errbridgev1.TranslateBatchRequest{"TranslateBatch100": batch, "TranslateBatch100Mixed": mixed} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.TranslateBatch(ctx, bt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
