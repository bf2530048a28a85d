package server

import (
	"container/list"
	"context"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Admission of calls against the memory budget.
const (
	// admissionWait bounds how long a call waits for budget to receive its
	// message. A well-behaved call holds its receive reservation for the
	// microseconds its message takes to arrive, so waiting this long means
	// the budget is held by calls that will not free it soon.
	admissionWait = 250 * time.Millisecond
	// overloadRetryDelay is the RetryInfo of a call refused for the budget.
	overloadRetryDelay = time.Second
	// MaxAdmissionQueue bounds the calls waiting for budget at once; a call
	// that finds this many waiting is refused at once. A waiting call holds
	// no budget, but up to a stream window of its request in grpc-go's
	// buffers, so this bounds those bytes whatever the number of
	// connections.
	MaxAdmissionQueue = 512
	// ProbeReservations is how many health and reflection calls may hold a
	// receive reservation at once, from a budget of their own beside the
	// memory budget: probes take microseconds, and a fifth waits up to
	// admissionWait like any call.
	ProbeReservations = 4
)

// errOverloaded is what a call refused for the memory budget gets:
// RESOURCE_EXHAUSTED with a RetryInfo, since the same call may well succeed
// once the calls in flight have finished.
var errOverloaded = func() error {
	st, err := status.New(codes.ResourceExhausted, "the server's memory budget for calls in flight is exhausted; retry later").
		WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(overloadRetryDelay)})
	if err != nil {
		panic(err) // a constant detail always marshals
	}
	return st.Err()
}()

// budget is the server-wide byte budget of calls in flight: a weighted
// semaphore whose waiters are served in order. A call reserves the most its
// message may occupy before reading it (waiting at most admissionWait), then
// resizes its reservation to what its decoded request and response hold,
// which is refused at once when it does not fit; it releases the rest when
// it ends.
type budget struct {
	mu      sync.Mutex
	size    int64
	used    int64
	waiters list.List // of *budgetWaiter, in arrival order
}

type budgetWaiter struct {
	n     int64
	ready chan struct{} // closed once the reservation is granted
}

func newBudget(size int64) *budget { return &budget{size: size} }

// acquire reserves n bytes, waiting up to wait (and no longer than ctx)
// for them. It reports whether they were reserved.
func (b *budget) acquire(ctx context.Context, n int64, wait time.Duration) bool {
	b.mu.Lock()
	if b.used+n <= b.size && b.waiters.Len() == 0 {
		b.used += n
		b.mu.Unlock()
		return true
	}
	if n > b.size || wait <= 0 || b.waiters.Len() >= MaxAdmissionQueue {
		b.mu.Unlock()
		return false
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	elem := b.waiters.PushBack(w)
	b.mu.Unlock()

	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready: // granted meanwhile: keep it
		return true
	default:
	}
	b.waiters.Remove(elem)
	b.grantLocked() // the waiters behind this one may fit now
	return false
}

// grow reserves delta more bytes for a call that already holds a
// reservation, at once or not at all.
func (b *budget) grow(delta int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+delta > b.size {
		return false
	}
	b.used += delta
	return true
}

// release returns n reserved bytes and wakes the waiters that now fit.
func (b *budget) release(n int64) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.grantLocked()
	b.mu.Unlock()
}

// grantLocked grants the waiters at the front that fit, in order.
func (b *budget) grantLocked() {
	for e := b.waiters.Front(); e != nil; e = b.waiters.Front() {
		w := e.Value.(*budgetWaiter)
		if b.used+w.n > b.size {
			return
		}
		b.used += w.n
		b.waiters.Remove(e)
		close(w.ready)
	}
}

// inUse is how many bytes are reserved now.
func (b *budget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// lease is one call's reservation.
type lease struct {
	b *budget
	n int64
}

// resize makes the reservation n bytes: a smaller one gives bytes back, a
// larger one fails with errOverloaded when the budget cannot take it.
func (l *lease) resize(n int64) error {
	switch {
	case n < l.n:
		l.b.release(l.n - n)
	case n > l.n:
		if !l.b.grow(n - l.n) {
			return errOverloaded
		}
	}
	l.n = n
	return nil
}

// release gives the whole reservation back.
func (l *lease) release() {
	l.b.release(l.n)
	l.n = 0
}
