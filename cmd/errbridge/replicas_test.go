package main

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// replicaHosts are the loopback addresses the multi-replica tests serve on,
// one replica each, all on one port.
var replicaHosts = []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"}

// replica is one running server of a multi-replica test, whose log the
// test keeps reading.
type replica struct {
	cmd      *exec.Cmd
	mu       sync.Mutex
	logs     []string
	logEnded chan struct{} // closed once the whole log is read
}

// log is what the replica has logged so far.
func (r *replica) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.logs, "\n")
}

// multiReplica starts a multi-replica test: it skips with -short, runs in
// parallel, and returns the built binary, a context for the test and a port
// free on every one of replicaHosts.
func multiReplica(t *testing.T) (bin string, ctx context.Context, port string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs three replicas")
	}
	t.Parallel()
	bin = buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return bin, ctx, sharedPort(t, replicaHosts)
}

// startReplica starts `bin serve --listen addr args...`, waits for it to
// serve, and keeps reading its log; the test's end kills it.
func startReplica(t *testing.T, ctx context.Context, bin, addr string, args ...string) *replica {
	t.Helper()
	cmd, _, lines, logs := startBinary(t, ctx, bin, []string{"ERRBRIDGE_LOG_LEVEL=info"}, append([]string{"--listen", addr}, args...)...)
	r := &replica{cmd: cmd, logs: logs, logEnded: make(chan struct{})}
	go func() {
		defer close(r.logEnded)
		for lines.Scan() {
			r.mu.Lock()
			r.logs = append(r.logs, lines.Text())
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return r
}

// wait waits, up to timeout, for the replica to exit, having read its whole
// log first: exec.Cmd.Wait closes the log's pipe, so it must not run before
// the log has ended.
func (r *replica) wait(timeout time.Duration) error {
	select {
	case <-r.logEnded:
	case <-time.After(timeout):
		return errors.New("still running " + timeout.String() + " after SIGTERM")
	}
	return r.cmd.Wait()
}

// sharedPort finds a port free on every host at once.
func sharedPort(t *testing.T, hosts []string) string {
	t.Helper()
	for range 50 {
		first, err := net.Listen("tcp", net.JoinHostPort(hosts[0], "0"))
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(first.Addr().String())
		held := []net.Listener{first}
		for _, h := range hosts[1:] {
			l, err := net.Listen("tcp", net.JoinHostPort(h, port))
			if err != nil {
				break
			}
			held = append(held, l)
		}
		for _, l := range held {
			l.Close()
		}
		if len(held) == len(hosts) {
			return port
		}
	}
	t.Fatalf("no port free on all of %v", hosts)
	return ""
}
