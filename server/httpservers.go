package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// httpServers are the HTTP servers of one kind (the metrics port, the HTTP
// port) that a Server runs, each added when it starts serving, all shut down
// together.
type httpServers struct {
	mu      sync.Mutex
	servers []*http.Server
	stopped bool
}

// serve serves hs on lis until shutdown, then returns nil. After shutdown
// it closes lis at once instead.
func (h *httpServers) serve(hs *http.Server, lis net.Listener) error {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		_ = lis.Close()
		return nil
	}
	h.servers = append(h.servers, hs)
	h.mu.Unlock()
	if err := hs.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// shutdown closes the servers, concurrently: gracefully, waiting for their
// requests in flight, until ctx ends, then at once.
func (h *httpServers) shutdown(ctx context.Context) {
	h.mu.Lock()
	servers := h.servers
	h.servers, h.stopped = nil, true
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, hs := range servers {
		wg.Go(func() {
			if ctx.Err() != nil || hs.Shutdown(ctx) != nil {
				_ = hs.Close()
			}
		})
	}
	wg.Wait()
}
