package server

import (
	"bytes"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/errbridge/errbridge/server/service"
)

// TestResponseBufferTiers checks the length and capacity of the buffers
// Get gives at the tiers' edges, and that Put takes back only buffers of
// a tier's capacity.
func TestResponseBufferTiers(t *testing.T) {
	t.Parallel()
	var p responseBuffers
	for _, tc := range []struct{ n, cap int }{
		{1, 2 << 10}, {1 << 10, 2 << 10}, {1<<10 + 1, 2 << 10}, {2 << 10, 2 << 10}, {2<<10 + 1, 4 << 10},
		{63199, 64 << 10}, {64 << 10, 64 << 10}, {64<<10 + 1, 128 << 10}, {1 << 20, 1 << 20}, {1<<20 + 1, 1<<20 + 1},
	} {
		for range 2 { // a new buffer, then (often) the one just put back
			b := p.Get(tc.n)
			if len(*b) != tc.n || cap(*b) != tc.cap {
				t.Fatalf("Get(%d): len %d, cap %d; want len %d, cap %d", tc.n, len(*b), cap(*b), tc.n, tc.cap)
			}
			p.Put(b)
		}
	}
	odd := make([]byte, 100, 3000) // no tier's capacity
	p.Put(&odd)
	for range 8 {
		if b := p.Get(2 << 10); cap(*b) != 2<<10 {
			t.Fatalf("Get(2 KiB) gave a buffer of capacity %d", cap(*b))
		}
	}
}

// TestDirtyResponseBuffers fills the codec's pool with buffers of 0xff
// bytes and checks that responses encoded into them are still protobuf-go's
// bytes: the encoder writes every byte it returns.
func TestDirtyResponseBuffers(t *testing.T) {
	t.Parallel()
	c, err := newCodec()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(nil, service.WithMaxBatch(1000))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 10, 100, 1000} {
		resp, err := svc.TranslateBatch(t.Context(), fixture.MixedBatch(n))
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			for tr := minResponseTier; tr <= maxResponseTier; tr++ {
				b := c.buffers.Get(1 << tr)
				copy(*b, bytes.Repeat([]byte{0xff}, len(*b)))
				c.buffers.Put(b)
			}
			if d := compareEncoders(c, resp); d != "" {
				t.Fatalf("a batch of %d: %s", n, d)
			}
		}
	}
	var one errbridgev1.TranslateResponse
	if d := compareEncoders(c, &one); d != "" {
		t.Fatal(d)
	}
}
