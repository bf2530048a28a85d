package uncatalogued_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/errbridge/errbridge/translate"
	"github.com/errbridge/errbridge/uncatalogued"
)

// BenchmarkObserveResult measures the tracker on the hot path of a server:
// a catalogued code (nothing to count), a code already seen, and codes past
// the bound.
func BenchmarkObserveResult(b *testing.B) {
	tr, err := uncatalogued.New(uncatalogued.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), uncatalogued.WithMaxCodes(1))
	if err != nil {
		b.Fatal(err)
	}
	known := translate.Default().Translate(400, []byte(`{"error_info":{"error_code":9003}}`), nil)
	seen := translate.Default().Translate(400, []byte(`{"error_info":{"error_code":424242,"message":"m"}}`), nil)
	past := translate.Default().Translate(400, []byte(`{"error_info":{"error_code":424243,"message":"m"}}`), nil)
	tr.ObserveResult(seen, 400)
	for _, bc := range []struct {
		name string
		r    *translate.Result
	}{{"catalogued", known}, {"seen", seen}, {"past the bound", past}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr.ObserveResult(bc.r, 400)
			}
		})
	}
}
