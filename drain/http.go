package drain

import (
	"context"
	"net/http"
	"sync/atomic"
)

// Health is a serving flag for an HTTP health endpoint: it answers 200
// "SERVING" until [Health.NotServing], and 503 "NOT_SERVING" after. The
// zero value is serving.
type Health struct {
	notServing atomic.Bool
}

// NotServing makes the endpoint answer 503 from now on.
func (h *Health) NotServing() { h.notServing.Store(true) }

// Serving reports whether the endpoint still answers 200.
func (h *Health) Serving() bool { return !h.notServing.Load() }

// ServeHTTP answers the health check.
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !h.Serving() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("NOT_SERVING\n"))
		return
	}
	_, _ = w.Write([]byte("SERVING\n"))
}

// HTTPServer is the [Target] of an *http.Server whose health endpoint is
// served by Health.
type HTTPServer struct {
	Server *http.Server
	Health *Health
}

// NotServing implements Target.
func (s HTTPServer) NotServing() { s.Health.NotServing() }

// Shutdown implements Target: http.Server.Shutdown, and Close when ctx
// ends first.
func (s HTTPServer) Shutdown(ctx context.Context) error {
	err := s.Server.Shutdown(ctx)
	if err != nil {
		_ = s.Server.Close()
	}
	return err
}
