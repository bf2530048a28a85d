package server

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestBudgetAdmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBudget(100)
	if !b.acquire(ctx, 60, 0) || b.acquire(ctx, 50, 0) {
		t.Fatal("want 60 reserved at once and 50 more refused at once")
	}
	if b.acquire(ctx, 101, time.Hour) {
		t.Fatal("a reservation larger than the budget was granted")
	}
	// A waiter is granted when enough is released, before its wait ends.
	granted := make(chan bool, 1)
	go func() { granted <- b.acquire(ctx, 50, time.Minute) }()
	for {
		b.mu.Lock()
		waiting := b.waiters.Len()
		b.mu.Unlock()
		if waiting == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	b.release(20)
	if !<-granted {
		t.Fatal("the waiter was not granted after the release")
	}
	if got := b.inUse(); got != 90 {
		t.Fatalf("in use %d, want 90", got)
	}
	// A full queue refuses at once.
	full := newBudget(1)
	full.used = 1
	for range MaxAdmissionQueue {
		full.waiters.PushBack(&budgetWaiter{n: 1, ready: make(chan struct{})})
	}
	if full.acquire(ctx, 1, time.Hour) {
		t.Fatal("granted with a full queue")
	}
	// A waiter whose wait ends gives up and holds nothing.
	if b.acquire(ctx, 20, 10*time.Millisecond) {
		t.Fatal("granted 20 with 10 free")
	}
	l := lease{b: b, n: 40}
	if err := l.resize(10); err != nil || b.inUse() != 60 {
		t.Fatalf("shrinking: %v, in use %d, want 60", err, b.inUse())
	}
	err := l.resize(60)
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || len(st.Details()) != 1 {
		t.Fatalf("growing past the budget: %v, want RESOURCE_EXHAUSTED with a RetryInfo", err)
	} else if _, ok := st.Details()[0].(*errdetails.RetryInfo); !ok {
		t.Fatalf("detail %T, want a RetryInfo", st.Details()[0])
	}
	l.release()
	b.release(50)
	if got := b.inUse(); got != 0 {
		t.Fatalf("in use %d after every release, want 0", got)
	}
}
