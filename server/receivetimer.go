package server

import (
	"context"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/tap"
)

// receiveCtx is the context grpc-go reads a call's messages under: the
// stream's own with a cancel of the server's, so that a call whose message
// does not arrive in time can end its receive and free its reservation.
// grpc-go reads a stream under the context its InTapHandle returns, and
// when a read fails for the context it answers the call itself, with the
// code of the context's error: once cut for time, the context reports
// DeadlineExceeded rather than Canceled.
type receiveCtx struct {
	context.Context
	cancel context.CancelFunc
	late   atomic.Bool
}

// Err implements context.Context.
func (c *receiveCtx) Err() error {
	err := c.Context.Err()
	if err == context.Canceled && c.late.Load() {
		return context.DeadlineExceeded
	}
	return err
}

// expire ends the receive for time.
func (c *receiveCtx) expire() {
	c.late.Store(true)
	c.cancel()
}

// receiveCtxKey finds a call's receiveCtx among its context's values.
type receiveCtxKey struct{}

// Value implements context.Context.
func (c *receiveCtx) Value(key any) any {
	if key == (receiveCtxKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// tapReceive is the server's InTapHandle: it gives every stream a
// receiveCtx.
func tapReceive(ctx context.Context, _ *tap.Info) (context.Context, error) {
	c, cancel := context.WithCancel(ctx)
	return &receiveCtx{Context: c, cancel: cancel}, nil
}

// receiveTimer ends a call's receive when its message has not arrived
// within the receive timeout. It is kept with a pooled call and reused, one
// receive at a time.
type receiveTimer struct {
	t  *time.Timer
	rc atomic.Pointer[receiveCtx] // the receive being timed; nil when none
}

// start times a receive under ctx. It reports false, and times nothing,
// when ctx has no receiveCtx: a call the HTTP port serves in process, under
// its own read timeout.
func (r *receiveTimer) start(ctx context.Context, d time.Duration) bool {
	rc, _ := ctx.Value(receiveCtxKey{}).(*receiveCtx)
	if rc == nil {
		return false
	}
	r.rc.Store(rc)
	if r.t == nil {
		r.t = time.AfterFunc(d, r.fire)
	} else {
		r.t.Reset(d)
	}
	return true
}

func (r *receiveTimer) fire() {
	if rc := r.rc.Load(); rc != nil {
		rc.expire()
	}
}

// stop ends the timing of a receive that start timed. It reports whether
// the timeout fired (or is firing): the call's context is then cancelled,
// and the timer, whose function may still run, must not be reused.
func (r *receiveTimer) stop() (fired bool) {
	if !r.t.Stop() {
		return true
	}
	r.rc.Store(nil)
	return false
}

// lateError is the error a call whose message did not arrive within the
// receive timeout d ends with, as counted and logged. (grpc-go has already
// answered the caller: DEADLINE_EXCEEDED, "context deadline exceeded".)
func lateError(d time.Duration) error {
	return status.Errorf(codes.DeadlineExceeded, "the request message did not arrive within the receive timeout of %v", d)
}
