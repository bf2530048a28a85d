package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// calls runs every call the server serves, in place of a chain of
// interceptors: it counts and times the call, admits it against the memory
// budget, receives its request, recovers a panic, and logs what failed.
// It wraps the handler of every method registered through [calls.registrar]
// and serves unknown methods, so that calls failing before their handler
// (refused for the budget, a message over the receive limit or not
// decodable, an unknown method) are counted and logged like any other.
//
// grpc-go reads a unary call's request before the first interceptor runs;
// here the request is read inside the wrapper, after admission. The
// interceptors of [WithUnaryInterceptors] (and, at debug level, the call
// logger) run inside it, around the service.
type calls struct {
	metrics  *metrics
	logs     *callLogger
	refusals *refusalLog
	recovery *recoverer
	budget   *budget // of the translator's calls, and any other service's
	// probes is the budget of health and reflection calls, of its own so
	// that no number of translator calls in flight (or opened and left
	// silent) keeps a probe from an answer.
	probes *budget
	// receive is what a call reserves before its message is read: the
	// message may be as large as the receive limit, and it is held once in
	// grpc-go's frames and once in the decoded copy.
	receive int64
	// receiveTimeout bounds how long a call holds its receive reservation
	// waiting for its message; lateErr is the error of one that waited
	// longer.
	receiveTimeout time.Duration
	lateErr        error
	logger         *slog.Logger

	// The interceptors run inside the wrapper, without and with debug
	// logging; nil runs the handler directly.
	unary, unaryDebug   grpc.UnaryServerInterceptor
	stream, streamDebug grpc.StreamServerInterceptor

	services map[string]bool // registered service names; written before Serve only
}

// phase is how far a call got, for counting and logging its failure.
type phase uint8

const (
	phaseAdmission phase = iota // waiting for budget to receive its message
	phaseReceive                // receiving and decoding its request
	phaseLate                   // its request did not arrive within the receive timeout
	phaseFootprint              // reserving the budget its request and response hold
	phaseHandler                // in the interceptors and the service
)

// registrar registers services with the grpc.Server, each method wrapped.
type registrar struct {
	c      *calls
	server *grpc.Server
}

// RegisterService implements grpc.ServiceRegistrar.
func (r registrar) RegisterService(desc *grpc.ServiceDesc, impl any) {
	r.server.RegisterService(r.c.wrap(desc), impl)
}

// GetServiceInfo implements reflection.ServiceInfoProvider.
func (r registrar) GetServiceInfo() map[string]grpc.ServiceInfo { return r.server.GetServiceInfo() }

// probeServices are the services whose calls reserve from the probes'
// budget.
var probeServices = map[string]bool{
	"grpc.health.v1.Health":                    true,
	"grpc.reflection.v1.ServerReflection":      true,
	"grpc.reflection.v1alpha.ServerReflection": true,
}

// wrap returns desc with every unary method turned into a stream handler
// that runs the call, and every stream handler wrapped likewise. grpc-go
// serves a stream handler that neither streams requests nor responses
// exactly as a unary method, without its own interceptors.
func (c *calls) wrap(desc *grpc.ServiceDesc) *grpc.ServiceDesc {
	c.services[desc.ServiceName] = true
	b := c.budget
	if probeServices[desc.ServiceName] {
		b = c.probes
	}
	out := &grpc.ServiceDesc{ServiceName: desc.ServiceName, HandlerType: desc.HandlerType, Metadata: desc.Metadata}
	for _, md := range desc.Methods {
		full := "/" + desc.ServiceName + "/" + md.MethodName
		out.Streams = append(out.Streams, grpc.StreamDesc{StreamName: md.MethodName, Handler: c.unaryHandler(full, md.Handler, b)})
	}
	for _, sd := range desc.Streams {
		full := "/" + desc.ServiceName + "/" + sd.StreamName
		sd.Handler = c.streamHandler(full, sd, b)
		out.Streams = append(out.Streams, sd)
	}
	return out
}

// unaryCall is the state of one unary call, kept in a pool with its
// decoding function so that running a call allocates nothing of its own.
type unaryCall struct {
	c     *calls
	ss    grpc.ServerStream
	l     lease
	at    phase
	decFn func(any) error // uc.dec, bound once
	timer receiveTimer
	timed bool // the timer runs for this call's receive
	late  bool // the timer fired: the call's context is cancelled
}

var unaryCalls = sync.Pool{New: func() any {
	uc := &unaryCall{}
	uc.decFn = uc.dec
	return uc
}}

// dec receives and decodes the request, then keeps of the reservation what
// the request and its response hold.
func (uc *unaryCall) dec(v any) error {
	err := uc.ss.RecvMsg(v)
	if uc.endReceive() {
		uc.at = phaseLate
		return uc.c.lateErr
	}
	if err != nil {
		return err
	}
	uc.at = phaseFootprint
	if err := uc.l.resize(footprint(v)); err != nil {
		return err
	}
	uc.at = phaseHandler
	return nil
}

// endReceive stops timing the call's receive, if it was timed, and reports
// whether the receive timeout fired.
func (uc *unaryCall) endReceive() bool {
	if uc.timed {
		uc.timed = false
		uc.late = uc.timer.stop()
	}
	return uc.late
}

// unaryHandler runs the calls of one unary method, reserving from b.
func (c *calls) unaryHandler(fullMethod string, h grpc.MethodHandler, b *budget) grpc.StreamHandler {
	mm := c.metrics.method(fullMethod)
	svc, name := splitMethod(fullMethod)
	return func(srv any, ss grpc.ServerStream) (err error) {
		ctx := ss.Context()
		start := time.Now()
		c.metrics.inFlight.Inc()
		debug := c.logger.Enabled(ctx, slog.LevelDebug)
		uc := unaryCalls.Get().(*unaryCall)
		uc.c, uc.ss, uc.l, uc.at, uc.late = c, ss, lease{b: b}, phaseAdmission, false
		defer func() {
			if p := recover(); p != nil {
				err = c.recovery.recovered(ctx, p)
			}
			uc.l.release()
			c.finish(ctx, mm, svc, name, string(interceptors.Unary), uc.at, debug, err, start)
			uc.c, uc.ss = nil, nil
			if !uc.endReceive() { // a fired timer's function may still run: not reused
				unaryCalls.Put(uc)
			}
		}()
		if !b.acquire(ctx, c.receive, admissionWait) {
			return refusal(ctx)
		}
		uc.l.n = c.receive
		uc.at = phaseReceive
		uc.timed = uc.timer.start(ctx, c.receiveTimeout)
		ic := c.unary
		if debug {
			ic = c.unaryDebug
		}
		reply, err := h(srv, ctx, uc.decFn, ic)
		if err != nil {
			return err
		}
		return ss.SendMsg(reply)
	}
}

// streamHandler runs the calls of one streaming method. Each message is
// received under a reservation of the receive limit from b, and within the
// receive timeout, like a unary call's.
func (c *calls) streamHandler(fullMethod string, sd grpc.StreamDesc, b *budget) grpc.StreamHandler {
	mm := c.metrics.method(fullMethod)
	svc, name := splitMethod(fullMethod)
	typ := string(interceptors.BidiStream)
	switch {
	case sd.ClientStreams && !sd.ServerStreams:
		typ = string(interceptors.ClientStream)
	case !sd.ClientStreams && sd.ServerStreams:
		typ = string(interceptors.ServerStream)
	case !sd.ClientStreams && !sd.ServerStreams:
		typ = string(interceptors.Unary)
	}
	info := &grpc.StreamServerInfo{FullMethod: fullMethod, IsClientStream: sd.ClientStreams, IsServerStream: sd.ServerStreams}
	h := sd.Handler
	return func(srv any, ss grpc.ServerStream) (err error) {
		ctx := ss.Context()
		start := time.Now()
		c.metrics.inFlight.Inc()
		debug := c.logger.Enabled(ctx, slog.LevelDebug)
		as := &admittedStream{ServerStream: ss, c: c, l: lease{b: b}, at: phaseHandler}
		defer func() {
			if p := recover(); p != nil {
				err = c.recovery.recovered(ctx, p)
			}
			as.l.release()
			c.finish(ctx, mm, svc, name, typ, as.at, debug, err, start)
		}()
		ic := c.stream
		if debug {
			ic = c.streamDebug
		}
		if ic == nil {
			return h(srv, as)
		}
		return ic(srv, as, info, h)
	}
}

// admittedStream receives each message of a stream under the budget.
type admittedStream struct {
	grpc.ServerStream
	c        *calls
	l        lease
	at       phase // phaseHandler unless receiving the first message failed
	received bool
	timer    receiveTimer // a fired one ends the stream: never reused then
}

// RecvMsg implements grpc.ServerStream.
func (s *admittedStream) RecvMsg(m any) error {
	first := !s.received
	fail := func(at phase, err error) error {
		if first {
			s.at = at
		}
		return err
	}
	if grow := s.c.receive - s.l.n; grow > 0 {
		if !s.l.b.acquire(s.Context(), grow, admissionWait) {
			return fail(phaseAdmission, refusal(s.Context()))
		}
		s.l.n += grow
	}
	timed := s.timer.start(s.Context(), s.c.receiveTimeout)
	err := s.ServerStream.RecvMsg(m)
	if timed && s.timer.stop() {
		_ = s.l.resize(0)
		return fail(phaseLate, s.c.lateErr)
	}
	if err != nil {
		_ = s.l.resize(0)
		if errors.Is(err, io.EOF) { // the client finished sending
			return err
		}
		return fail(phaseReceive, err)
	}
	s.received = true
	if err := s.l.resize(footprint(m)); err != nil {
		return fail(phaseFootprint, err)
	}
	return nil
}

// refusal is the error of a call that could not reserve its receive: the
// caller's own cancellation or deadline if that is why, errOverloaded
// otherwise.
func refusal(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return status.FromContextError(err).Err()
	}
	return errOverloaded
}

// unknown serves the calls of unknown services and methods:
// UNIMPLEMENTED, with grpc-go's own texts, counted under the method name
// "unknown" (and the service name "unknown" for an unknown service), so
// that callers cannot add series at will.
func (c *calls) unknown(_ any, ss grpc.ServerStream) error {
	ctx := ss.Context()
	start := time.Now()
	full, _ := grpc.MethodFromServerStream(ss)
	svc, name := splitMethod(full)
	var err error
	label := "/" + svc + "/unknown"
	if c.services[svc] {
		err = status.Errorf(codes.Unimplemented, "unknown method %v for service %v", name, svc)
	} else {
		label = "/unknown/unknown"
		err = status.Errorf(codes.Unimplemented, "unknown service %v", svc)
	}
	mm := c.metrics.method(label)
	c.metrics.inFlight.Inc()
	c.metrics.done(mm, err, start)
	c.refusals.log(ctx, svc, name, codes.Unimplemented, refusedUnknown)
	return err
}

// finish counts a call and logs it when it failed: before its handler in
// the refusal log (info, rate-limited), in the handler with the call
// logger's fast path (which the debug chain replaces).
func (c *calls) finish(ctx context.Context, mm *methodMetrics, svc, name, typ string, at phase, debug bool, err error, start time.Time) {
	c.metrics.done(mm, err, start)
	if err == nil {
		return
	}
	code := status.Code(err)
	switch at {
	case phaseAdmission, phaseFootprint:
		c.refusals.log(ctx, svc, name, code, refusedBudget)
	case phaseReceive:
		c.refusals.log(ctx, svc, name, code, refusalReason(code))
	case phaseLate:
		c.refusals.log(ctx, svc, name, code, refusedLate)
	default:
		if !debug {
			c.logs.finished(ctx, svc, name, typ, code, start)
		}
	}
}

// chainUnary chains interceptors into one, the first outermost; nil for
// none.
func chainUnary(is []grpc.UnaryServerInterceptor) grpc.UnaryServerInterceptor {
	switch len(is) {
	case 0:
		return nil
	case 1:
		return is[0]
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		next := handler
		for i := len(is) - 1; i > 0; i-- {
			ic, inner := is[i], next
			next = func(ctx context.Context, req any) (any, error) { return ic(ctx, req, info, inner) }
		}
		return is[0](ctx, req, info, next)
	}
}

// chainStream chains stream interceptors into one, the first outermost;
// nil for none.
func chainStream(is []grpc.StreamServerInterceptor) grpc.StreamServerInterceptor {
	switch len(is) {
	case 0:
		return nil
	case 1:
		return is[0]
	}
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		next := handler
		for i := len(is) - 1; i > 0; i-- {
			ic, inner := is[i], next
			next = func(srv any, ss grpc.ServerStream) error { return ic(srv, ss, info, inner) }
		}
		return is[0](srv, ss, info, next)
	}
}
