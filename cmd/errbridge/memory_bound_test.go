package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// peakRSSBound is the bound on the server's peak RSS under the
// loads of TestBinaryMemoryIsBounded, with the server's defaults.
const peakRSSBound = 256 << 20

// memLoad is one client load of TestBinaryMemoryIsBounded: calls calls
// running at once, spread over conns connections, each sending msg rounds
// times.
type memLoad struct {
	method string
	msg    []byte
	calls  int
	conns  int
	rounds int
	check  func(resp []byte) error // checks an OK response
}

// memOutcome is what the clients of a load saw.
type memOutcome struct {
	mu       sync.Mutex
	ok       int
	refused  int // RESOURCE_EXHAUSTED with a RetryInfo: over the budget
	tooLarge int // RESOURCE_EXHAUSTED without one: over the receive limit
	failures []string
	slowest  time.Duration // the slowest refusal
}

func (o *memOutcome) add(err error, resp []byte, check func([]byte) error, took time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err == nil {
		if cerr := check(resp); cerr != nil {
			o.failures = append(o.failures, "a wrong answer: "+cerr.Error())
			return
		}
		o.ok++
		return
	}
	st := status.Convert(err)
	if st.Code() != codes.ResourceExhausted {
		o.failures = append(o.failures, err.Error())
		return
	}
	o.slowest = max(o.slowest, took)
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay().AsDuration() > 0 {
			o.refused++
			return
		}
	}
	o.tooLarge++
}

// run runs the load against addr and adds what it saw to o.
func (l memLoad) run(t *testing.T, ctx context.Context, addr string, o *memOutcome) {
	t.Helper()
	conns := make([]*grpc.ClientConn, l.conns)
	for i := range conns {
		c, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.ForceCodecV2(servertest.RawCodec{}), grpc.MaxCallRecvMsgSize(64<<20)))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	var wg sync.WaitGroup
	for i := range l.calls {
		wg.Go(func() {
			for range l.rounds {
				var resp []byte
				cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				start := time.Now()
				err := conns[i%len(conns)].Invoke(cctx, l.method, &l.msg, &resp)
				cancel()
				o.add(err, resp, l.check, time.Since(start))
			}
		})
	}
	wg.Wait()
}

// peakRSS reads VmHWM, the process's peak resident set, in bytes.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// TestBinaryMemoryIsBounded runs the real binary with its defaults under the
// issue's loads, each on a server of its own, and reads its peak RSS
// (VmHWM): 16 concurrent maximal batches on one connection (a), the same
// over 8 connections (b), 2,000 concurrent Translate calls over 20
// connections, all on the server at once (c), with 64 KiB bodies and with
// typical ones, and (a) and the first (c) at once (d); plus 16 concurrent batches of
// 1,000 × 64 KiB bodies, 66 MB each, on one connection, which are over the
// receive limit. A maximal batch is the largest the defaults accept: 1,000
// bodies of 1,000 bytes that do not parse (the most detail in every
// answer), just under --max-batch-bytes. Every call must succeed or be
// refused with RESOURCE_EXHAUSTED (with a RetryInfo when the budget refused
// it), the server must stay SERVING and translate correctly afterwards, and
// the peak must stay under 256 MiB.
func TestBinaryMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads it")
	}
	t.Parallel()
	bin := buildBinary(t)

	// 1,000 unparseable bodies of 1,000 bytes: as many bodies and bytes as
	// the defaults take, and the longest answers.
	item := &errbridgev1.TranslateRequest{HttpStatus: 502, Body: bytes.Repeat([]byte("<html>gateway error</html> "), 38)[:1000]}
	batch := &errbridgev1.TranslateBatchRequest{}
	for range service.DefaultMaxBatch {
		batch.Requests = append(batch.Requests, item)
	}
	batchMsg := servertest.MustMarshal(t, batch)
	if len(batchMsg) > server.DefaultMaxBatchBytes {
		t.Fatalf("the maximal batch is %d bytes, over the limit of %d", len(batchMsg), server.DefaultMaxBatchBytes)
	}
	hostile := &errbridgev1.TranslateBatchRequest{}
	bigItem := &errbridgev1.TranslateRequest{HttpStatus: 502, Body: bytes.Repeat([]byte("x"), service.DefaultMaxBodyBytes)}
	for range service.DefaultMaxBatch {
		hostile.Requests = append(hostile.Requests, bigItem)
	}
	hostileMsg := servertest.MustMarshal(t, hostile)
	single := servertest.MustMarshal(t, &errbridgev1.TranslateRequest{HttpStatus: 502, Body: bytes.Repeat([]byte("<"), service.DefaultMaxBodyBytes)})

	checkBatch := func(resp []byte) error {
		var r errbridgev1.TranslateBatchResponse
		if err := proto.Unmarshal(resp, &r); err != nil {
			return err
		}
		if n := len(r.GetResults()); n != service.DefaultMaxBatch {
			return fmt.Errorf("%d results, want %d", n, service.DefaultMaxBatch)
		}
		if got := r.GetResults()[0].GetResponse().GetReason(); got != "UNPARSEABLE_BODY" {
			return fmt.Errorf("reason %q, want UNPARSEABLE_BODY", got)
		}
		return nil
	}
	checkSingle := func(resp []byte) error {
		var r errbridgev1.TranslateResponse
		if err := proto.Unmarshal(resp, &r); err != nil {
			return err
		}
		if r.GetReason() != "UNPARSEABLE_BODY" {
			return fmt.Errorf("reason %q, want UNPARSEABLE_BODY", r.GetReason())
		}
		return nil
	}
	batchMethod := errbridgev1.TranslatorService_TranslateBatch_FullMethodName
	singleMethod := errbridgev1.TranslatorService_Translate_FullMethodName
	batchesOn := func(conns int) memLoad {
		return memLoad{method: batchMethod, msg: batchMsg, calls: 16, conns: conns, rounds: 3, check: checkBatch}
	}
	singles := memLoad{method: singleMethod, msg: single, calls: 2000, conns: 20, rounds: 2, check: checkSingle}
	typical := singles
	typical.conns = 20
	typical.msg = servertest.MustMarshal(t, &errbridgev1.TranslateRequest{HttpStatus: 502, Body: []byte("<html><body>502 Bad Gateway</body></html>"), Locale: "zh-CN"})

	for _, tc := range []struct {
		name     string
		loads    []memLoad
		tooLarge bool // every call is over the receive limit
	}{
		{"16 batches of 1,000 × 64 KiB on one connection, over the limit", []memLoad{
			{method: batchMethod, msg: hostileMsg, calls: 16, conns: 1, rounds: 2, check: checkBatch}}, true},
		{"(a) 16 maximal batches on one connection", []memLoad{batchesOn(1)}, false},
		{"(b) 16 maximal batches over 8 connections", []memLoad{batchesOn(8)}, false},
		{"(c) 2,000 maximal Translate calls over 20 connections", []memLoad{singles}, false},
		{"(c) 2,000 typical Translate calls over 20 connections", []memLoad{typical}, false},
		{"(d) (a) and (c) at once", []memLoad{batchesOn(1), singles}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			serve, addr, lines, _ := startBinary(t, ctx, bin, []string{}, "--listen", "127.0.0.1:0", "--drain-delay", "0s")
			defer func() {
				_ = serve.Process.Kill()
				_ = serve.Wait()
			}()
			refusalLines := make(chan int, 1)
			go func() {
				n := 0
				for lines.Scan() {
					if strings.Contains(lines.Text(), `"msg":"refused call"`) {
						n++
					}
				}
				refusalLines <- n
			}()
			base, err := peakRSS(serve.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			var o memOutcome
			start := time.Now()
			var wg sync.WaitGroup
			for _, l := range tc.loads {
				wg.Go(func() { l.run(t, ctx, addr, &o) })
			}
			wg.Wait()
			took := time.Since(start)
			peak, err := peakRSS(serve.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			afterwards(t, ctx, addr)
			_ = serve.Process.Kill()
			_ = serve.Wait()
			t.Logf("peak RSS %.1f MiB (%.1f MiB once serving); %d OK, %d refused over the budget, %d over the receive limit (slowest refusal %v), in %v",
				float64(peak)/(1<<20), float64(base)/(1<<20), o.ok, o.refused, o.tooLarge, o.slowest.Round(time.Millisecond), took.Round(time.Millisecond))
			t.Logf("refusal log lines: %d (rate-limited)", <-refusalLines)
			for i, f := range o.failures {
				if i == 5 {
					t.Errorf("... %d failures in all", len(o.failures))
					break
				}
				t.Errorf("a call failed: %s", f)
			}
			if tc.tooLarge && (o.ok > 0 || o.refused > 0 || o.tooLarge == 0) {
				t.Errorf("calls over the receive limit: %d OK, %d refused over the budget; want all refused for their size", o.ok, o.refused)
			}
			if !tc.tooLarge && (o.ok == 0 || o.tooLarge > 0) {
				t.Errorf("%d OK and %d refused for their size; want calls answered and none over the receive limit", o.ok, o.tooLarge)
			}
			if peak > peakRSSBound {
				t.Errorf("peak RSS %d MiB, over %d MiB", peak>>20, peakRSSBound>>20)
			}
		})
	}
}

// afterwards checks that the server at addr is SERVING and translates
// correctly.
func afterwards(t *testing.T, ctx context.Context, addr string) {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	hc, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || hc.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health afterwards: %v, %v", hc.GetStatus(), err)
	}
	resp, err := errbridgev1.NewTranslatorServiceClient(conn).Translate(ctx, &errbridgev1.TranslateRequest{
		HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)})
	if err != nil || resp.GetReason() != "MEETING_NOT_FOUND" {
		t.Errorf("a translation afterwards: %v, %v", resp.GetReason(), err)
	}
}
