package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
)

// TestFailoverAcrossReplicas runs three replicas of the real binary on
// 127.0.0.1, 127.0.0.2 and 127.0.0.3 (one port), behind one resolver that
// feeds the Go client, which runs with its defaults (round_robin, health
// checking, retries on UNAVAILABLE). Under steady load it kills the first
// replica with SIGKILL, then sends SIGTERM to the second. No call may fail,
// and while all three ran each must have served at least 20 % of the calls.
func TestFailoverAcrossReplicas(t *testing.T) {
	bin, ctx, port := multiReplica(t)
	hosts := replicaHosts
	replicas := make([]*replica, len(hosts))
	for i, h := range hosts {
		replicas[i] = startReplica(t, ctx, bin, net.JoinHostPort(h, port), "--shutdown-timeout", "10s", "--drain-delay", "1s")
	}

	res := manual.NewBuilderWithScheme("replicas")
	var state resolver.State
	for _, h := range hosts {
		state.Addresses = append(state.Addresses, resolver.Address{Addr: net.JoinHostPort(h, port)})
	}
	res.InitialState(state)
	c, err := client.Dial(res.Scheme()+":///errbridge", client.WithDialOptions(grpc.WithResolvers(res)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// served[phase][replica] counts the calls each replica answered; phase 0
	// is all three up, 1 after the SIGKILL, 2 after the SIGTERM.
	var served [3][3]atomic.Int64
	var phase, failures atomic.Int64
	var failMu sync.Mutex
	var failed []string
	req := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)}
	callOnce := func() (int, error) {
		var p peer.Peer
		resp, err := c.Stub().Translate(ctx, req, grpc.Peer(&p))
		if err != nil {
			return -1, err
		}
		if resp.GetReason() != "MEETING_NOT_FOUND" {
			return -1, fmt.Errorf("reason %q", resp.GetReason())
		}
		host, _, _ := net.SplitHostPort(fmt.Sprint(p.Addr))
		for i, h := range hosts {
			if h == host {
				return i, nil
			}
		}
		return -1, fmt.Errorf("answered by %v", p.Addr)
	}

	// Warm up until every replica has answered: each connection is up and
	// its health check says SERVING.
	for warm := [3]bool{}; !warm[0] || !warm[1] || !warm[2]; {
		i, err := callOnce()
		if err != nil {
			t.Fatalf("warm-up: %v", err)
		}
		warm[i] = true
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	const workers = 6
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ph := phase.Load()
				i, err := callOnce()
				if err != nil {
					failures.Add(1)
					failMu.Lock()
					if len(failed) < 10 {
						failed = append(failed, fmt.Sprintf("phase %d: %v", ph, err))
					}
					failMu.Unlock()
					continue
				}
				served[ph][i].Add(1)
			}
		})
	}

	time.Sleep(2 * time.Second)
	if err := replicas[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	phase.Store(1)
	time.Sleep(1500 * time.Millisecond)
	if err := replicas[1].cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	phase.Store(2)
	termErr := replicas[1].wait(20 * time.Second)
	time.Sleep(time.Second) // load on the last replica alone
	close(stop)
	wg.Wait()

	var total int64
	var report []string
	for ph, name := range []string{"all three up", "after SIGKILL of 127.0.0.1", "after SIGTERM of 127.0.0.2"} {
		var sum int64
		counts := make([]string, len(hosts))
		for i := range hosts {
			sum += served[ph][i].Load()
		}
		for i, h := range hosts {
			n := served[ph][i].Load()
			counts[i] = h + " " + strconv.FormatInt(n, 10) + " (" + strconv.FormatFloat(100*float64(n)/float64(max(sum, 1)), 'f', 1, 64) + " %)"
		}
		total += sum
		report = append(report, fmt.Sprintf("%s: %d calls: %s", name, sum, strings.Join(counts, ", ")))
	}
	t.Logf("%d calls, %d failed\n%s", total, failures.Load(), strings.Join(report, "\n"))

	if n := failures.Load(); n != 0 {
		t.Errorf("%d calls failed, e.g.:\n%s", n, strings.Join(failed, "\n"))
	}
	var before int64
	for i := range hosts {
		before += served[0][i].Load()
	}
	if before < 100 {
		t.Errorf("only %d calls before the kill", before)
	}
	for i, h := range hosts {
		if n := served[0][i].Load(); 5*n < before {
			t.Errorf("before the kill %s served %d of %d calls, under 20 %%", h, n, before)
		}
	}
	for ph := 1; ph < 3; ph++ {
		if n := served[ph][2].Load(); n == 0 {
			t.Errorf("127.0.0.3 served no calls in phase %d", ph)
		}
	}
	if termErr != nil {
		t.Errorf("127.0.0.2 after SIGTERM: %v\n%s", termErr, replicas[1].log())
	} else if l := replicas[1].log(); !strings.Contains(l, `"msg":"draining"`) || !strings.Contains(l, `"msg":"stopped"`) {
		t.Errorf("127.0.0.2 did not drain:\n%s", l)
	}
}
