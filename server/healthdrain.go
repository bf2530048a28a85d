package server

import (
	"context"
	"sync"

	"google.golang.org/grpc"
	healthgrpc "google.golang.org/grpc/health/grpc_health_v1"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// watchDrainer ends health Watch streams when the server drains, once they
// have reported that the server is no longer serving. Without it a watching
// client would keep its stream open and hold a graceful stop until the hard
// deadline.
type watchDrainer struct {
	mu       sync.Mutex
	draining bool
	watches  map[*drainableWatch]struct{}
}

func newWatchDrainer() *watchDrainer {
	return &watchDrainer{watches: make(map[*drainableWatch]struct{})}
}

// drainableWatch is one Watch stream, whose context the drainer cancels.
type drainableWatch struct {
	grpc.ServerStream
	ctx    context.Context
	cancel context.CancelFunc
	d      *watchDrainer
	sent   bool                                       // a status has been sent
	last   healthpb.HealthCheckResponse_ServingStatus // the last status sent; under d.mu
}

// Context returns the stream's context, which ends when the server drains.
func (w *drainableWatch) Context() context.Context { return w.ctx }

// SendMsg sends a status and, while draining, ends the stream once it has
// said NOT_SERVING (or anything but SERVING).
func (w *drainableWatch) SendMsg(m any) error {
	err := w.ServerStream.SendMsg(m)
	resp, _ := m.(*healthpb.HealthCheckResponse)
	w.d.mu.Lock()
	w.sent, w.last = true, resp.GetStatus()
	if w.d.draining && w.last != healthpb.HealthCheckResponse_SERVING {
		w.cancel()
	}
	w.d.mu.Unlock()
	return err
}

// interceptor wraps health Watch streams.
func (d *watchDrainer) interceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if info.FullMethod != healthgrpc.Health_Watch_FullMethodName {
		return handler(srv, ss)
	}
	ctx, cancel := context.WithCancel(ss.Context())
	w := &drainableWatch{ServerStream: ss, ctx: ctx, cancel: cancel, d: d}
	d.mu.Lock()
	d.watches[w] = struct{}{}
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.watches, w)
		d.mu.Unlock()
		cancel()
	}()
	return handler(srv, w)
}

// drain starts draining: streams that already reported something other
// than SERVING end now; the others end after their next update, which the
// health server's shutdown sends.
func (d *watchDrainer) drain() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.draining = true
	for w := range d.watches {
		if w.sent && w.last != healthpb.HealthCheckResponse_SERVING {
			w.cancel()
		}
	}
}
