package server_test

import (
	"context"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc/metadata"
)

// TestFaultOversizedMetadata proves that a call whose metadata exceeds
// server.MaxHeaderListBytes is refused, that calls with ordinary metadata on
// the same server still work, and that the server keeps serving.
func TestFaultOversizedMetadata(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	conn := s.Dial(t)
	c := errbridgev1.NewTranslatorServiceClient(conn)

	ctx, cancel := context.WithTimeout(context.Background(), waitBound)
	defer cancel()
	big := metadata.AppendToOutgoingContext(ctx, "x-padding", strings.Repeat("a", 2*server.MaxHeaderListBytes))
	if _, err := c.Translate(big, healthyRequest()); err == nil {
		t.Fatal("a call with 128 KiB of metadata succeeded")
	}
	small := metadata.AppendToOutgoingContext(ctx, "x-request-id", "abc")
	resp, err := errbridgev1.NewTranslatorServiceClient(s.Dial(t)).Translate(small, healthyRequest())
	if err != nil {
		t.Fatalf("a call with small metadata failed: %v", err)
	}
	if err := checkHealthyTranslation(resp); err != nil {
		t.Fatal(err)
	}
	assertHealthy(t, s.Addr)
}
