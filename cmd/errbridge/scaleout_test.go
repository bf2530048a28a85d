package main

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/resolver"
)

// recordsResolver resolves like DNS does for gRPC: it answers with the
// current records when the channel starts and when the channel asks again
// (ResolveNow, after a connection ends), never on its own. A client of it
// sees a new replica only once one of its connections ends.
type recordsResolver struct {
	mu      sync.Mutex
	records []string
	cc      resolver.ClientConn
}

func (r *recordsResolver) Scheme() string { return "records" }

func (r *recordsResolver) Build(_ resolver.Target, cc resolver.ClientConn, _ resolver.BuildOptions) (resolver.Resolver, error) {
	r.mu.Lock()
	r.cc = cc
	r.mu.Unlock()
	r.ResolveNow(resolver.ResolveNowOptions{})
	return r, nil
}

func (r *recordsResolver) ResolveNow(resolver.ResolveNowOptions) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var state resolver.State
	for _, a := range r.records {
		state.Addresses = append(state.Addresses, resolver.Address{Addr: a})
	}
	_ = r.cc.UpdateState(state)
}

func (r *recordsResolver) Close() {}

// setRecords changes the records without telling the channel.
func (r *recordsResolver) setRecords(addrs ...string) {
	r.mu.Lock()
	r.records = addrs
	r.mu.Unlock()
}

// TestScaleOutReachesNewReplicas starts one replica with a short
// --keepalive-max-connection-age, connects the Go client (its defaults)
// through a resolver that, like DNS, answers only when asked, then adds two
// replicas to the records. The server's renewal of the connection makes the
// client ask again and spread its calls over all three.
func TestScaleOutReachesNewReplicas(t *testing.T) {
	bin, ctx, port := multiReplica(t)
	hosts := replicaHosts
	addrs := make([]string, len(hosts))
	start := func(i int) {
		addrs[i] = net.JoinHostPort(hosts[i], port)
		startReplica(t, ctx, bin, addrs[i], "--keepalive-max-connection-age", "1s", "--keepalive-max-connection-age-grace", "5s")
	}

	start(0)
	res := &recordsResolver{}
	res.setRecords(addrs[0])
	c, err := client.Dial(res.Scheme()+":///errbridge", client.WithDialOptions(grpc.WithResolvers(res)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003}}`)}
	callOnce := func() string {
		t.Helper()
		var p peer.Peer
		if _, err := c.Stub().Translate(ctx, req, grpc.Peer(&p)); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.Addr)
	}
	for range 20 {
		if got := callOnce(); got != addrs[0] {
			t.Fatalf("a call reached %s with only %s resolved", got, addrs[0])
		}
	}

	start(1)
	start(2)
	res.setRecords(addrs...)
	seen := map[string]int{}
	deadline := time.Now().Add(30 * time.Second)
	for len(seen) < len(addrs) && time.Now().Before(deadline) {
		seen[callOnce()]++
		time.Sleep(5 * time.Millisecond)
	}
	if len(seen) < len(addrs) {
		t.Fatalf("after 30 s the calls reached only %v", seen)
	}
	t.Logf("calls until every replica answered: %v", seen)
}
