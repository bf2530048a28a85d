package drain

import (
	"context"
	"time"
)

// Target is a server that can be drained.
type Target interface {
	// NotServing makes the server's health checks report that it is not
	// serving. It keeps accepting and serving requests.
	NotServing()
	// Shutdown stops accepting and waits for the requests in flight until
	// ctx ends; then it stops them and returns ctx's error.
	Shutdown(ctx context.Context) error
}

// Run drains t: it reports not serving at once, keeps serving for delay
// (cut short when ctx ends), then shuts t down, giving the requests in
// flight up to timeout. It returns Shutdown's error: nil when every request
// finished in time.
func Run(ctx context.Context, t Target, delay, timeout time.Duration) error {
	t.NotServing()
	if delay > 0 {
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return t.Shutdown(sctx)
}
