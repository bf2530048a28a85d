package drain_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/errbridge/errbridge/drain"
)

// recorder is a Target that records the order of the steps.
type recorder struct {
	mu    sync.Mutex
	steps []string
	err   error
}

func (r *recorder) NotServing() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, "not serving")
}

func (r *recorder) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		r.steps = append(r.steps, "shutdown without a deadline")
	} else {
		r.steps = append(r.steps, "shutdown")
	}
	return r.err
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.steps...)
}

func TestRunOrder(t *testing.T) {
	t.Parallel()
	failed := errors.New("shutdown failed")
	for _, tc := range []struct {
		name   string
		delay  time.Duration
		cancel bool // ctx already ended: the delay is cut short
		err    error
	}{
		{"no delay", 0, false, nil},
		{"a delay", 20 * time.Millisecond, false, nil},
		{"a delay cut short", time.Hour, true, nil},
		{"shutdown's error", 0, false, failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			if tc.cancel {
				cancel()
			}
			defer cancel()
			r := &recorder{err: tc.err}
			err := drain.Run(ctx, r, tc.delay, time.Second)
			if !errors.Is(err, tc.err) {
				t.Errorf("Run: %v, want %v", err, tc.err)
			}
			if got := r.got(); len(got) != 2 || got[0] != "not serving" || got[1] != "shutdown" {
				t.Errorf("steps %q, want not serving, then shutdown with a deadline", got)
			}
		})
	}
}

// get fetches path from addr on a new connection and returns the status
// code, or an error when the request fails.
func get(ctx context.Context, addr, path string) (int, error) {
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// TestHTTPServerDrains drains an http.Server: health answers 503 at once,
// new requests are still served during the delay, the request in flight
// finishes, and after the delay the listener is closed.
func TestHTTPServerDrains(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	health := &drain.Health{}
	release := make(chan struct{})
	entered := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health)
	mux.HandleFunc("GET /fast", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = w.Write([]byte("done"))
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	go func() { _ = hs.Serve(lis) }()

	if code, err := get(ctx, addr, "/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("health before the drain: %d, %v", code, err)
	}
	slow := make(chan int, 1)
	go func() {
		code, err := get(ctx, addr, "/slow")
		if err != nil {
			t.Errorf("the request in flight failed: %v", err)
		}
		slow <- code
	}()
	<-entered

	const delay = 500 * time.Millisecond
	drained := make(chan error, 1)
	go func() { drained <- drain.Run(ctx, drain.HTTPServer{Server: hs, Health: health}, delay, 20*time.Second) }()
	for health.Serving() {
		time.Sleep(time.Millisecond)
	}
	// Within the delay: health says 503 and new requests are served.
	code, err := get(ctx, addr, "/healthz")
	if err != nil || code != http.StatusServiceUnavailable {
		t.Errorf("health during the delay: %d, %v; want 503", code, err)
	}
	select {
	case err := <-drained:
		t.Fatalf("Run returned %v before the delay passed (or the machine stalled for %v)", err, delay)
	default:
	}
	if code, err := get(ctx, addr, "/fast"); err != nil || code != http.StatusOK {
		t.Errorf("a new request during the delay: %d, %v; want 200", code, err)
	}

	// After the delay the listener closes; the request in flight finishes.
	for {
		if _, err := get(ctx, addr, "/fast"); err != nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the server kept accepting")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if code := <-slow; code != http.StatusOK {
		t.Errorf("the request in flight ended with %d", code)
	}
	if err := <-drained; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestHTTPServerStopsHardAtTheTimeout drains a server whose request never
// ends: Run returns the deadline's error and the connection is closed.
func TestHTTPServerStopsHardAtTheTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	entered := make(chan struct{})
	hs := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(lis) }()
	stuck := make(chan error, 1)
	go func() {
		_, err := get(ctx, lis.Addr().String(), "/")
		stuck <- err
	}()
	<-entered
	err = drain.Run(ctx, drain.HTTPServer{Server: hs, Health: &drain.Health{}}, 0, 50*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run: %v, want the deadline's error", err)
	}
	if err := <-stuck; err == nil {
		t.Error("the stuck request got an answer; want its connection closed")
	}
}
