package service_test

import (
	"context"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
)

// BenchmarkService measures the service in process: validation, the
// engine and response building, without gRPC.
func BenchmarkService(b *testing.B) {
	svc, err := service.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	req := &errbridgev1.TranslateRequest{
		HttpStatus: 400,
		Body:       []byte(`{"error_info":{"error_code":9003,"new_error_code":109003,"message":"MEETING NOT EXIST"}}`),
		Headers:    map[string]string{"X-TC-Trace": "a1b2c3d4e5f6", "Content-Type": "application/json"},
		Method:     "GET",
		Locale:     "zh-CN",
	}
	batch := &errbridgev1.TranslateBatchRequest{}
	for range 100 {
		batch.Requests = append(batch.Requests, req)
	}
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
