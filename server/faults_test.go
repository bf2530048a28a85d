package server_test

// Fault and hostile-input tests (issue 5): clients that cancel or vanish
// mid-call, oversized messages, panics. Raw HTTP/2 abuse is in
// faults_h2_test.go, the 2,000-call tests in faults_load_test.go. After
// every fault, assertHealthy checks that the same server still serves.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/server/service"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// waitBound bounds every wait of the fault tests: generous, since the
// machine may be busy, yet finite, so that a bug fails a test instead of
// hanging it.
const waitBound = 60 * time.Second

// healthyBody is the upstream body assertHealthy has translated: Tencent
// Meeting's "meeting does not exist".
const healthyBody = `{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`

// healthyRequest is the request assertHealthy sends.
func healthyRequest() *errbridgev1.TranslateRequest {
	return &errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(healthyBody)}
}

// checkHealthyTranslation reports how resp differs from the translation of
// healthyRequest: NOT_FOUND (5), MEETING_NOT_FOUND.
func checkHealthyTranslation(resp *errbridgev1.TranslateResponse) error {
	if resp.GetStatus().GetCode() != int32(codes.NotFound) || resp.GetReason() != "MEETING_NOT_FOUND" {
		return fmt.Errorf("translated to status code %d, reason %q; want 5, MEETING_NOT_FOUND",
			resp.GetStatus().GetCode(), resp.GetReason())
	}
	return nil
}

// assertHealthy checks, over a fresh connection to addr, that the server
// reports SERVING (for itself and for TranslatorService) and still
// translates correctly. The calls wait for the connection to be ready, so a
// busy machine delays them rather than failing them, within callTimeout.
func assertHealthy(t *testing.T, addr string) {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("after the fault: grpc.NewClient(%s): %v", addr, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(t.Context(), callTimeout)
	defer cancel()
	hc := healthpb.NewHealthClient(conn)
	for _, svc := range []string{"", server.ServiceName} {
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: svc}, grpc.WaitForReady(true))
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("after the fault: health of %q is %v, %v; want SERVING", svc, resp.GetStatus(), err)
		}
	}
	resp, err := errbridgev1.NewTranslatorServiceClient(conn).Translate(ctx, healthyRequest(), grpc.WaitForReady(true))
	if err != nil {
		t.Fatalf("after the fault: Translate: %v", err)
	}
	if err := checkHealthyTranslation(resp); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
}

// waitFor polls cond until it holds, and fails the test if it still does
// not after waitBound.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitBound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", waitBound, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// holdKey is the metadata key that makes a holder hold a call.
const holdKey = "x-test-hold"

// holdCtx marks the calls made with the returned context to be held.
func holdCtx(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, holdKey, "1")
}

// holder is a test interceptor that holds the calls marked by holdCtx until
// releaseAll, or until their context ends. It counts the held calls by
// connection (the peer's address), and the most it ever held at once by
// connection. Unmarked calls, such as assertHealthy's, pass through.
type holder struct {
	release     chan struct{}
	releaseOnce sync.Once
	entered     atomic.Int64 // calls that reached the holder
	abandoned   atomic.Int64 // held calls whose context ended before the release

	mu       sync.Mutex
	inFlight map[string]int
	peak     map[string]int
}

func newHolder() *holder {
	return &holder{release: make(chan struct{}), inFlight: make(map[string]int), peak: make(map[string]int)}
}

func (h *holder) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if md, _ := metadata.FromIncomingContext(ctx); len(md.Get(holdKey)) == 0 {
		return handler(ctx, req)
	}
	conn := "unknown"
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		conn = p.Addr.String()
	}
	h.mu.Lock()
	h.inFlight[conn]++
	h.peak[conn] = max(h.peak[conn], h.inFlight[conn])
	h.mu.Unlock()
	h.entered.Add(1)
	defer func() {
		h.mu.Lock()
		h.inFlight[conn]--
		h.mu.Unlock()
	}()
	select {
	case <-h.release:
		return handler(ctx, req)
	case <-ctx.Done():
		h.abandoned.Add(1)
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// releaseAll lets every held call, and every later one, through.
func (h *holder) releaseAll() { h.releaseOnce.Do(func() { close(h.release) }) }

// held returns how many calls are held now, on all connections.
func (h *holder) held() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, v := range h.inFlight {
		n += v
	}
	return n
}

// peaks returns a copy of the most calls held at once, by connection.
func (h *holder) peaks() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.peak))
	for k, v := range h.peak {
		out[k] = v
	}
	return out
}

// startHeld starts a server whose marked calls a new holder holds. The
// holder releases them when the test ends, so that nothing stays stuck.
func startHeld(t *testing.T, opts ...server.Option) (*servertest.Server, *holder) {
	t.Helper()
	h := newHolder()
	s := servertest.Start(t, append(opts, server.WithUnaryInterceptors(h.unary))...)
	t.Cleanup(h.releaseAll)
	return s, h
}

// runCalls starts n calls of call in goroutines and returns their errors,
// one per call, on a channel with room for all of them.
func runCalls(n int, call func(i int) error) <-chan error {
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- call(i) }()
	}
	return errs
}

// translateOK calls Translate with healthyRequest and checks the answer.
func translateOK(ctx context.Context, c errbridgev1.TranslatorServiceClient, opts ...grpc.CallOption) error {
	resp, err := c.Translate(ctx, healthyRequest(), opts...)
	if err != nil {
		return err
	}
	return checkHealthyTranslation(resp)
}

// TestFaultClientsCancelMidCall proves that calls whose client gives up
// while they are in flight end on both sides: the caller gets CANCELED (or
// DEADLINE_EXCEEDED), the server's handler sees its context end, nothing
// stays held, and the server keeps serving.
func TestFaultClientsCancelMidCall(t *testing.T) {
	t.Parallel()

	t.Run("held calls cancelled", func(t *testing.T) {
		t.Parallel()
		const n = 50
		s, h := startHeld(t)
		c := stub(t, s)
		ctx, cancel := context.WithCancel(holdCtx(callCtx(t)))
		defer cancel()
		errs := runCalls(n, func(int) error { return translateOK(ctx, c) })
		waitFor(t, "the calls to be held", func() bool { return h.entered.Load() == n })
		cancel()
		for i := range n {
			if err := <-errs; status.Code(err) != codes.Canceled {
				t.Errorf("call %d: %v, want CANCELED", i, err)
			}
		}
		// A held call counts itself abandoned just before it leaves the
		// holder: wait for both.
		waitFor(t, "the server to see every cancellation and let every call go", func() bool {
			return h.abandoned.Load() == n && h.held() == 0
		})
		assertHealthy(t, s.Addr)
	})

	t.Run("deadlines expire while held", func(t *testing.T) {
		t.Parallel()
		const n = 20
		s, h := startHeld(t)
		c := stub(t, s)
		errs := runCalls(n, func(int) error {
			ctx, cancel := context.WithTimeout(holdCtx(t.Context()), time.Second)
			defer cancel()
			return translateOK(ctx, c)
		})
		for i := range n {
			if err := <-errs; status.Code(err) != codes.DeadlineExceeded {
				t.Errorf("call %d: %v, want DEADLINE_EXCEEDED", i, err)
			}
		}
		// A call that reached the server must have been let go by it.
		waitFor(t, "the server to drop the expired calls", func() bool {
			return h.abandoned.Load() == h.entered.Load() && h.held() == 0
		})
		t.Logf("%d of %d calls reached the server before their deadline", h.entered.Load(), n)
		assertHealthy(t, s.Addr)
	})

	t.Run("large batches cancelled at random points", func(t *testing.T) {
		t.Parallel()
		const n = 10
		s := servertest.Start(t)
		c := stub(t, s)
		batch := &errbridgev1.TranslateBatchRequest{}
		for range service.DefaultMaxBatch {
			batch.Requests = append(batch.Requests, healthyRequest())
		}
		// One batch uncancelled, to know how long one takes here.
		start := time.Now()
		if resp, err := c.TranslateBatch(callCtx(t), batch); err != nil || len(resp.GetResults()) != len(batch.Requests) {
			t.Fatalf("TranslateBatch: %d results, %v", len(resp.GetResults()), err)
		}
		took := time.Since(start)
		var ok, cancelled atomic.Int64
		errs := runCalls(n, func(int) error {
			ctx, cancel := context.WithCancel(callCtx(t))
			defer cancel()
			// n batches at once take about n times as long as one.
			timer := time.AfterFunc(rand.N(n*took), cancel)
			defer timer.Stop()
			resp, err := c.TranslateBatch(ctx, batch)
			switch {
			case err == nil && len(resp.GetResults()) == len(batch.Requests):
				ok.Add(1)
				return nil
			case err == nil:
				return fmt.Errorf("%d results for %d requests", len(resp.GetResults()), len(batch.Requests))
			case status.Code(err) == codes.Canceled:
				cancelled.Add(1)
				return nil
			}
			return err
		})
		for i := range n {
			if err := <-errs; err != nil {
				t.Errorf("batch %d: %v, want OK or CANCELED", i, err)
			}
		}
		t.Logf("a batch takes %v; of %d cancelled at random within %v, %d completed first", took, n, n*took, ok.Load())
		assertHealthy(t, s.Addr)
	})
}

// TestFaultClientsDisconnectAbruptly proves that calls in flight on a
// connection that disappears — closed by grpc-go, closed or reset at the TCP
// level, or cut in the middle of an HTTP/2 frame — are cancelled on the
// server, that the callers get an error rather than a hang, and that the
// server keeps serving.
func TestFaultClientsDisconnectAbruptly(t *testing.T) {
	t.Parallel()
	const n = 20

	t.Run("ClientConn closed under open calls", func(t *testing.T) {
		t.Parallel()
		s, h := startHeld(t)
		conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		c := errbridgev1.NewTranslatorServiceClient(conn)
		errs := runCalls(n, func(int) error { return translateOK(holdCtx(callCtx(t)), c) })
		waitFor(t, "the calls to be held", func() bool { return h.entered.Load() == n })
		_ = conn.Close()
		for i := range n {
			if err := <-errs; status.Code(err) != codes.Canceled {
				t.Errorf("call %d: %v, want CANCELED (the client connection is closing)", i, err)
			}
		}
		waitFor(t, "the server to cancel the calls", func() bool { return h.abandoned.Load() == n })
		assertHealthy(t, s.Addr)
	})

	for _, reset := range []bool{false, true} {
		name := "TCP connection closed under open calls"
		if reset {
			name = "TCP connection reset under open calls"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, h := startHeld(t)
			var mu sync.Mutex
			var raw []*net.TCPConn
			dial := func(ctx context.Context, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
				if err == nil {
					mu.Lock()
					raw = append(raw, c.(*net.TCPConn))
					mu.Unlock()
				}
				return c, err
			}
			conn := servertest.Dial(t, s.Addr, grpc.WithContextDialer(dial))
			c := errbridgev1.NewTranslatorServiceClient(conn)
			errs := runCalls(n, func(int) error { return translateOK(holdCtx(callCtx(t)), c) })
			waitFor(t, "the calls to be held", func() bool { return h.entered.Load() == n })
			mu.Lock()
			for _, rc := range raw {
				if reset {
					_ = rc.SetLinger(0) // Close sends RST
				}
				_ = rc.Close()
			}
			mu.Unlock()
			for i := range n {
				if err := <-errs; status.Code(err) != codes.Unavailable {
					t.Errorf("call %d: %v, want UNAVAILABLE", i, err)
				}
			}
			waitFor(t, "the server to cancel the calls", func() bool { return h.abandoned.Load() == n })
			assertHealthy(t, s.Addr)
		})
	}

	t.Run("raw connection cut mid-frame under a held call", func(t *testing.T) {
		t.Parallel()
		s, h := startHeld(t)
		r := dialH2(t, s.Addr, true)
		r.call(1, translateMethod, servertest.MustMarshal(t, healthyRequest()), holdKey, "1")
		waitFor(t, "the call to be held", func() bool { return h.entered.Load() == 1 })
		// Nine bytes of a PING frame's header announce eight bytes of
		// payload; three follow, then the connection ends.
		ping := frameBytes(func(fr *frameWriter) { fr.WritePing(false, [8]byte{1, 2, 3, 4, 5, 6, 7, 8}) })
		r.write(ping[:12])
		r.conn.(*net.TCPConn).SetLinger(0)
		_ = r.conn.Close()
		waitFor(t, "the server to cancel the held call", func() bool { return h.abandoned.Load() == 1 })
		assertHealthy(t, s.Addr)
	})

	s := servertest.Start(t)
	request := grpcMessage(false, servertest.MustMarshal(t, healthyRequest()))
	headers := frameBytes(func(fr *frameWriter) {
		fr.writeHeaders(1, false, grpcRequestFields(translateMethod)...)
	})
	for _, tc := range []struct {
		name  string
		bytes []byte
	}{
		{"preface cut", []byte(clientPreface[:10])},
		{"SETTINGS frame cut", append([]byte(clientPreface), settingsFrame()[:5]...)},
		{"HEADERS frame cut", concat(handshakeBytes(), headers[:len(headers)/2])},
		{"DATA frame cut", concat(handshakeBytes(), headers, frameBytes(func(fr *frameWriter) {
			fr.WriteData(1, true, request)
		})[:9+len(request)/2])},
		{"gRPC message cut", concat(handshakeBytes(), headers, frameBytes(func(fr *frameWriter) {
			fr.WriteData(1, false, request[:len(request)/2]) // a whole frame, half a message
		}))},
	} {
		for _, reset := range []bool{false, true} {
			name := tc.name + ", then FIN"
			if reset {
				name = tc.name + ", then RST"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				conn := dialTCP(t, s.Addr)
				if _, err := conn.Write(tc.bytes); err != nil {
					t.Fatalf("write: %v", err)
				}
				if reset {
					_ = conn.SetLinger(0)
				}
				_ = conn.Close()
				assertHealthy(t, s.Addr)
			})
		}
	}
}

// TestFaultOversizedMessages proves the server's size limits: a message
// over the receive limit is refused with RESOURCE_EXHAUSTED before it is
// decoded; anything under it reaches validation, which answers
// INVALID_ARGUMENT with a BadRequest naming the field — a body over the body
// limit, a batch over the max batch, a request with 1,000 headers. The
// server keeps serving after each.
func TestFaultOversizedMessages(t *testing.T) {
	t.Parallel()
	const maxBody, maxBatch = 1024, 4
	s := servertest.Start(t, server.WithMaxBodyBytes(maxBody), server.WithMaxBatch(maxBatch))
	c := stub(t, s)
	limit := s.MaxRecvMsgSize()
	thousandHeaders := make(map[string]string, 1000)
	for i := range 1000 {
		thousandHeaders[fmt.Sprintf("X-Header-%04d", i)] = "v"
	}
	batchOf := func(n int, r func() *errbridgev1.TranslateRequest) *errbridgev1.TranslateBatchRequest {
		b := &errbridgev1.TranslateBatchRequest{}
		for range n {
			b.Requests = append(b.Requests, r())
		}
		return b
	}
	for _, tc := range []struct {
		name   string
		call   func(ctx context.Context) error
		code   codes.Code
		field  string // the first violated field, for INVALID_ARGUMENT
		reason string // its reason
	}{
		{
			name: "Translate over the receive limit",
			call: func(ctx context.Context) error {
				_, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 500, Body: make([]byte, limit)})
				return err
			},
			code: codes.ResourceExhausted,
		},
		{
			name: "TranslateBatch over the receive limit",
			call: func(ctx context.Context) error {
				_, err := c.TranslateBatch(ctx, batchOf(maxBatch, func() *errbridgev1.TranslateRequest {
					return &errbridgev1.TranslateRequest{HttpStatus: 500, Body: make([]byte, limit/maxBatch+1)}
				}))
				return err
			},
			code: codes.ResourceExhausted,
		},
		{
			name: "body over the body limit",
			call: func(ctx context.Context) error {
				_, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 500, Body: make([]byte, maxBody+1)})
				return err
			},
			code: codes.InvalidArgument, field: "body", reason: service.ViolationBodyTooLarge,
		},
		{
			name: "batch over the max batch",
			call: func(ctx context.Context) error {
				_, err := c.TranslateBatch(ctx, batchOf(maxBatch+1, healthyRequest))
				return err
			},
			code: codes.InvalidArgument, field: "requests", reason: service.ViolationBatchTooLarge,
		},
		{
			name: "1,000 headers",
			call: func(ctx context.Context) error {
				_, err := c.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(healthyBody), Headers: thousandHeaders})
				return err
			},
			code: codes.InvalidArgument, field: "headers", reason: service.ViolationTooManyHeaders,
		},
		{
			name: "1,000 headers in every batch item",
			call: func(ctx context.Context) error {
				resp, err := c.TranslateBatch(ctx, batchOf(maxBatch, func() *errbridgev1.TranslateRequest {
					return &errbridgev1.TranslateRequest{HttpStatus: 500, Body: []byte(healthyBody), Headers: thousandHeaders}
				}))
				if err != nil {
					return err
				}
				for i, r := range resp.GetResults() {
					want := fmt.Sprintf("requests[%d].headers", i)
					if fields := violations(status.ErrorProto(r.GetError())); len(fields) == 0 || fields[0] != want+" "+service.ViolationTooManyHeaders {
						return fmt.Errorf("item %d: %v, want a %s violation of %s", i, r, service.ViolationTooManyHeaders, want)
					}
				}
				return nil
			},
			code: codes.OK,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.call(callCtx(t))
			if got := status.Code(err); got != tc.code {
				t.Fatalf("%v, want %v", err, tc.code)
			}
			if tc.field != "" {
				if fields := violations(err); len(fields) == 0 || fields[0] != tc.field+" "+tc.reason {
					t.Errorf("violations %v, want %s %s first", fields, tc.field, tc.reason)
				}
			}
			assertHealthy(t, s.Addr)
		})
	}
}

// violations returns the field violations of err's BadRequest detail, as
// "field REASON".
func violations(err error) []string {
	var out []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField()+" "+v.GetReason())
			}
		}
	}
	return out
}

// Methods of panicServiceDesc.
const (
	panicUnaryMethod  = "/errbridge.test.v1.PanicService/Unary"
	panicStreamMethod = "/errbridge.test.v1.PanicService/Stream"
)

// panicServiceDesc is a test service whose handlers panic, registered with
// server.WithServices.
var panicServiceDesc = grpc.ServiceDesc{
	ServiceName: "errbridge.test.v1.PanicService",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Unary",
		Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			handle := func(context.Context, any) (any, error) { panic("test panic in a unary handler") }
			if interceptor == nil {
				return handle(ctx, in)
			}
			return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: panicUnaryMethod}, handle)
		},
	}},
	Streams: []grpc.StreamDesc{{
		StreamName:    "Stream",
		ServerStreams: true,
		ClientStreams: true,
		Handler:       func(any, grpc.ServerStream) error { panic("test panic in a stream handler") },
	}},
	Metadata: "faults_test.go",
}

// metricValue sums the counters and gauges named name in reg whose labels include
// labels (name, value pairs).
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gathering the metrics: %v", err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue metrics
				}
			}
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return sum
}

// TestFaultPanicsAreRecovered proves that panics — in an interceptor of
// WithUnaryInterceptors, in the unary handler and in the stream handler of a
// service of WithServices — each reach their caller as INTERNAL without the
// panic's text, are counted in the Prometheus registry of
// WithMetricsRegistry, and leave the server serving, with 100 of each
// happening concurrently.
func TestFaultPanicsAreRecovered(t *testing.T) {
	t.Parallel()
	const n = 100
	reg := prometheus.NewRegistry()
	s := servertest.Start(t,
		server.WithMetricsRegistry(reg),
		server.WithUnaryInterceptors(panicker),
		server.WithServices(func(r grpc.ServiceRegistrar) { r.RegisterService(&panicServiceDesc, struct{}{}) }))
	conn := s.Dial(t)
	c := errbridgev1.NewTranslatorServiceClient(conn)
	kinds := []func(ctx context.Context) error{
		func(ctx context.Context) error { // interceptor
			_, err := c.Translate(metadata.AppendToOutgoingContext(ctx, panicKey, "boom"), healthyRequest())
			return err
		},
		func(ctx context.Context) error { // unary handler
			return conn.Invoke(ctx, panicUnaryMethod, &emptypb.Empty{}, &emptypb.Empty{})
		},
		func(ctx context.Context) error { // stream handler
			st, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, panicStreamMethod)
			if err != nil {
				return err
			}
			_ = st.CloseSend()
			return st.RecvMsg(new(emptypb.Empty))
		},
	}
	errs := runCalls(n*len(kinds), func(i int) error { return kinds[i%len(kinds)](callCtx(t)) })
	for i := range n * len(kinds) {
		err := <-errs
		st, _ := status.FromError(err)
		if st.Code() != codes.Internal {
			t.Errorf("call %d: %v, want INTERNAL", i, err)
		} else if strings.Contains(st.Message(), "panic") || strings.Contains(st.Message(), "boom") {
			t.Errorf("call %d: the panic's text reached the caller: %q", i, st.Message())
		}
	}
	if got := metricValue(t, reg, "errbridge_panics_recovered_total"); got != n*float64(len(kinds)) {
		t.Errorf("errbridge_panics_recovered_total = %v, want %d", got, n*len(kinds))
	}
	if got := metricValue(t, reg, "errbridge_grpc_server_handled_total", "grpc_method", "Translate", "grpc_code", "Internal"); got != n {
		t.Errorf("Translate calls counted INTERNAL: %v, want %d", got, n)
	}
	assertHealthy(t, s.Addr)
}
