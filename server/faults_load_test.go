package server_test

// The 2,000-call fault tests. They are not parallel: they count goroutines,
// and together with other tests their ~4,000 goroutines could approach the
// race detector's limit of 8,128 live goroutines.

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"google.golang.org/grpc"
)

// goroutineSlack is how many goroutines beyond its baseline a test may leave
// behind: a few runtime or grpc-go helpers may still be winding down.
const goroutineSlack = 8

// waitGoroutines waits, within waitBound, for the number of goroutines to
// come back within goroutineSlack of baseline.
func waitGoroutines(t *testing.T, baseline int) {
	t.Helper()
	deadline := time.Now().Add(waitBound)
	for {
		n := runtime.NumGoroutine()
		if n <= baseline+goroutineSlack {
			t.Logf("goroutines: %d, baseline %d", n, baseline)
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines %v after the test, baseline %d: a leak?\n%s", n, waitBound, baseline, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// closeConns closes conns.
func closeConns(conns []*grpc.ClientConn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

// TestFaultStreamLimitWith2000Calls proves MAX_CONCURRENT_STREAMS under
// load: 2,000 concurrent Translate calls over 4 connections to a server
// limited to 100 streams a connection, held by an interceptor. The server
// never has more than 100 calls in flight on a connection (it reaches
// exactly 100 on each; grpc-go queues the other 1,600 on the client side),
// every call completes OK once released, and afterwards the goroutine count
// returns to its baseline.
func TestFaultStreamLimitWith2000Calls(t *testing.T) {
	const limit, conns, calls = 100, 4, 2000
	baseline := runtime.NumGoroutine()
	s, h := startHeld(t, server.WithMaxConcurrentStreams(limit))
	clientConns := make([]*grpc.ClientConn, conns)
	clients := make([]errbridgev1.TranslatorServiceClient, conns)
	for i := range clientConns {
		clientConns[i] = servertest.Dial(t, s.Addr)
		clients[i] = errbridgev1.NewTranslatorServiceClient(clientConns[i])
	}
	ctx := holdCtx(callCtx(t))
	errs := runCalls(calls, func(i int) error { return translateOK(ctx, clients[i%conns]) })

	waitFor(t, "every connection to reach its stream limit", func() bool { return h.held() == conns*limit })
	if peaks := h.peaks(); len(peaks) != conns {
		t.Errorf("calls held on %d connections, want %d: %v", len(peaks), conns, peaks)
	}
	h.releaseAll()
	expectNoErrors(t, errs, calls, "calls")
	for conn, peak := range h.peaks() {
		if peak > limit {
			t.Errorf("connection %s had %d calls in flight, over the limit of %d", conn, peak, limit)
		}
	}
	if got := h.entered.Load(); got != calls {
		t.Errorf("%d calls reached the server, want %d", got, calls)
	}
	assertHealthy(t, s.Addr)

	closeConns(clientConns)
	s.Stop()
	waitGoroutines(t, baseline)
}

// TestFaultShutdownWith2000CallsInFlight proves a graceful Shutdown under
// load: with 2,000 calls in flight (held by an interceptor, over two
// connections of 1,000 streams each, over the default limit), Shutdown refuses new calls yet waits
// for the 2,000, which all complete OK once released; Shutdown then returns
// nil, and the goroutine count returns to its baseline.
func TestFaultShutdownWith2000CallsInFlight(t *testing.T) {
	const conns, calls = 2, 2000
	baseline := runtime.NumGoroutine()
	// The memory budget admits a burst of at most budget ÷ (2 × the receive
	// limit) calls at a time before their messages are read, with 512 more
	// waiting; all 2,000 must be admitted here however they arrive, since
	// this test is about the shutdown, so the budget holds a reservation for
	// every one (the admission tests are in refusals_test.go).
	s, h := startHeld(t, server.WithMaxConcurrentStreams(calls/conns),
		server.WithMemoryBudget(calls*2*server.DefaultMaxBatchBytes))
	clientConns := make([]*grpc.ClientConn, conns)
	clients := make([]errbridgev1.TranslatorServiceClient, conns)
	for i := range clientConns {
		clientConns[i] = servertest.Dial(t, s.Addr)
		clients[i] = errbridgev1.NewTranslatorServiceClient(clientConns[i])
	}
	ctx := holdCtx(callCtx(t))
	var ok atomic.Int64
	errs := runCalls(calls, func(i int) error {
		err := translateOK(ctx, clients[i%conns])
		if err == nil {
			ok.Add(1)
		}
		return err
	})
	waitFor(t, "2,000 calls in flight", func() bool { return h.held() == calls })

	shutdown := make(chan error, 1)
	go func() {
		sctx, cancel := context.WithTimeout(context.Background(), waitBound)
		defer cancel()
		shutdown <- s.Shutdown(sctx)
	}()
	waitRefused(t, s.Addr)
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned %v with 2,000 calls in flight", err)
	default:
	}

	h.releaseAll()
	expectNoErrors(t, errs, calls, "calls in flight at the shutdown")
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	t.Logf("%d calls completed OK during the shutdown", ok.Load())

	closeConns(clientConns)
	waitGoroutines(t, baseline)
}

// expectNoErrors reads n results from errs and reports the calls (what
// names them) that failed: the first five, and how many in all.
func expectNoErrors(t *testing.T, errs <-chan error, n int, what string) {
	t.Helper()
	failed := 0
	for range n {
		if err := <-errs; err != nil {
			if failed++; failed <= 5 {
				t.Errorf("one of the %s failed: %v", what, err)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d %s failed", failed, n, what)
	}
}
