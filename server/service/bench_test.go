package service_test

import (
	"context"
	"testing"

	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/errbridge/errbridge/server/service"
)

// BenchmarkService measures the service in process: validation, the
// engine and response building, without gRPC.
func BenchmarkService(b *testing.B) {
	svc, err := service.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	req := fixture.TypicalRequest()
	batch := fixture.Batch(req, 100)
	ctx := context.Background()
	b.Run("Translate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Translate(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TranslateBatch100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.TranslateBatch(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}
