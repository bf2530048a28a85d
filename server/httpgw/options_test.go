package httpgw_test

import (
	"strings"
	"testing"

	"github.com/errbridge/errbridge/server/httpgw"
	"google.golang.org/grpc"
)

func TestNewRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		srv  *grpc.Server
		opts []httpgw.Option
		err  string
	}{
		{"nil server", nil, nil, "nil grpc.Server"},
		{"nil option", grpc.NewServer(), []httpgw.Option{nil}, "nil option"},
		{"zero message limit", grpc.NewServer(), []httpgw.Option{httpgw.WithMaxMessageBytes(0)}, "must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := httpgw.New(tc.srv, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.err) || h != nil {
				t.Errorf("New: %v, %v; want an error with %q", h, err, tc.err)
			}
		})
	}
}
