package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/promreg"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
	"github.com/errbridge/errbridge/uncatalogued"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Server is errbridge's gRPC server. Create it with [New], serve with
// [Server.Serve], and stop it with [Server.Shutdown].
type Server struct {
	grpc    *grpc.Server
	health  *health.Server
	watches *watchDrainer
	metrics *metrics
	calls   *calls
	service *service.Service
	logger  *slog.Logger
	maxRecv int
	gateway gateway // the HTTP port

	drainOnce sync.Once
	http      httpServers // the metrics port's
}

// ServiceName is the full name of errbridge's service, as registered with
// the health service.
const ServiceName = "errbridge.v1.TranslatorService"

// Message-size allowances of [MaxRecvMsgSize], beyond the bodies.
const (
	perItemAllowance  = 4 << 10  // fields and typical headers of one batch item
	envelopeAllowance = 64 << 10 // the rest of a message
)

// MaxRecvMsgSize is the largest message a server with these limits
// receives: one request with a maximal body and as many maximal headers as
// validation allows, plus 64 KiB, or a batch, whichever is larger. A batch
// may take maxBatchBytes, or a full batch of maximal bodies, each with 4 KiB
// for its other fields, plus 64 KiB, if that is less. A larger message is
// refused with RESOURCE_EXHAUSTED before it is read; anything smaller
// reaches validation, which answers INVALID_ARGUMENT naming the field.
func MaxRecvMsgSize(maxBodyBytes, maxBatch, maxBatchBytes int) int {
	batch := min(int64(maxBatch)*(int64(maxBodyBytes)+perItemAllowance)+envelopeAllowance, int64(maxBatchBytes))
	single := int64(maxBodyBytes) + service.MaxHeaders*(service.MaxHeaderNameBytes+service.MaxHeaderValueBytes+16) + envelopeAllowance
	return int(min(max(batch, single), math.MaxInt32))
}

// New builds a server configured by opts. It reads the TLS files, if any,
// and registers TranslatorService, health (SERVING) and reflection.
func New(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("server: nil option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.translator == nil {
		t, err := translate.New()
		if err != nil {
			return nil, err
		}
		cfg.translator = t
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	if cfg.registry == nil {
		cfg.registry = promreg.New()
	}
	svc, err := service.New(cfg.translator, service.WithMaxBodyBytes(cfg.maxBodyBytes), service.WithMaxBatch(cfg.maxBatch))
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.registry, cfg.translator.Catalog())
	if err != nil {
		return nil, err
	}
	unknown, err := uncatalogued.New(uncatalogued.WithLogger(cfg.logger))
	if err != nil {
		return nil, err
	}
	if err := cfg.registry.Register(unknown); err != nil {
		return nil, err
	}
	s := &Server{
		health:  health.NewServer(),
		watches: newWatchDrainer(),
		metrics: m,
		service: svc,
		logger:  cfg.logger,
		maxRecv: MaxRecvMsgSize(cfg.maxBodyBytes, cfg.maxBatch, cfg.maxBatchBytes),
	}
	receive := 2 * int64(s.maxRecv) // what a call reserves before its message is read
	if cfg.memoryBudget < receive {
		return nil, fmt.Errorf("server: a memory budget of %d bytes cannot receive one largest message: it needs 2 × %d", cfg.memoryBudget, s.maxRecv)
	}
	var tc *tls.Config
	if cfg.certFile != "" {
		if tc, err = tlsConfig(cfg.certFile, cfg.keyFile, cfg.clientCAFile); err != nil {
			return nil, err
		}
	}
	s.gateway.configure(&cfg, tc)

	c, err := newCodec()
	if err != nil {
		return nil, err
	}
	logs := newCallLogger(cfg.logger)
	rec := &recoverer{l: cfg.logger, m: m}
	recoverUnary, recoverStream := rec.interceptors()
	s.calls = &calls{
		metrics:        m,
		logs:           logs,
		refusals:       newRefusalLog(cfg.logger),
		recovery:       rec,
		budget:         newBudget(cfg.memoryBudget),
		probes:         newBudget(ProbeReservations * receive),
		receive:        receive,
		receiveTimeout: cfg.receiveTimeout,
		lateErr:        lateError(cfg.receiveTimeout),
		logger:         cfg.logger,
		unary:          chainUnary(cfg.unary),
		unaryDebug:     chainUnary(append([]grpc.UnaryServerInterceptor{logs.debugUnary, recoverUnary}, cfg.unary...)),
		stream:         chainStream(append([]grpc.StreamServerInterceptor{s.watches.interceptor}, cfg.stream...)),
		streamDebug:    chainStream(append([]grpc.StreamServerInterceptor{logs.debugStream, recoverStream, s.watches.interceptor}, cfg.stream...)),
		services:       make(map[string]bool),
	}
	if err := m.registerBudget(s.calls.budget); err != nil {
		return nil, err
	}
	gopts := []grpc.ServerOption{
		grpc.ForceServerCodecV2(c),
		grpc.MaxRecvMsgSize(s.maxRecv),
		grpc.MaxConcurrentStreams(cfg.maxConcurrentStreams),
		grpc.ConnectionTimeout(cfg.connectionTimeout),
		grpc.MaxHeaderListSize(MaxHeaderListBytes),
		grpc.KeepaliveEnforcementPolicy(cfg.enforcement),
		grpc.KeepaliveParams(cfg.keepalive),
		grpc.StaticStreamWindowSize(StreamWindowBytes(cfg.maxBodyBytes)),
		grpc.StaticConnWindowSize(ConnWindowBytes),
		grpc.UnknownServiceHandler(s.calls.unknown),
		grpc.InTapHandle(tapReceive),
	}
	if cfg.streamWorkers > 0 {
		gopts = append(gopts, grpc.NumStreamWorkers(cfg.streamWorkers))
	}
	if tc != nil {
		gopts = append(gopts, grpc.Creds(credentials.NewTLS(tc)))
	}
	s.grpc = grpc.NewServer(gopts...)
	reg := registrar{c: s.calls, server: s.grpc}
	errbridgev1.RegisterTranslatorServiceServer(reg, &instrumentedService{Service: svc, metrics: m, unknown: unknown, logger: cfg.logger})
	healthpb.RegisterHealthServer(reg, s.health)
	registerReflection(reg)
	for _, register := range cfg.registrars {
		register(reg)
	}
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	s.health.SetServingStatus(ServiceName, healthpb.HealthCheckResponse_SERVING)
	return s, nil
}

// Serve accepts connections on lis until the server stops. It returns nil
// after [Server.Shutdown], [Server.GracefulStop] or [Server.Stop].
func (s *Server) Serve(lis net.Listener) error {
	return s.grpc.Serve(lis)
}

// Service returns the TranslatorService implementation the server serves.
func (s *Server) Service() *service.Service { return s.service }

// MaxRecvMsgSize returns the largest message the server receives.
func (s *Server) MaxRecvMsgSize() int { return s.maxRecv }

// NotServing makes health report NOT_SERVING (to Check, and to every
// Watch, which then ends), while the server keeps accepting and serving
// calls: the first step of a drain ([drain.Run]), so that probes and load
// balancers see it before the listener closes. [Server.Shutdown] does it
// too.
func (s *Server) NotServing() { s.drain() }

// drain reports NOT_SERVING (to Check, and to every Watch, which then ends)
// the first time it is called.
func (s *Server) drain() {
	s.drainOnce.Do(func() {
		s.watches.drain()
		s.health.Shutdown()
	})
}

// Shutdown stops the server gracefully: health reports NOT_SERVING, new
// calls are refused, and calls in flight run to completion. If ctx ends
// first, the remaining calls are cancelled and the connections closed, and
// Shutdown returns ctx's error. The HTTP port closes first, once its calls
// in flight have finished (see [Server.ServeGateway]), and the gRPC port
// then drains; the metrics listeners close last.
func (s *Server) Shutdown(ctx context.Context) error {
	s.drain()
	s.gateway.shutdown(ctx)
	done := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		s.logger.LogAttrs(ctx, slog.LevelWarn, "shutdown deadline passed: stopping the calls still in flight")
		s.grpc.Stop()
		<-done
		err = ctx.Err()
	}
	s.closeHTTP(ctx)
	return err
}

// GracefulStop is [Server.Shutdown] without a deadline.
func (s *Server) GracefulStop() {
	_ = s.Shutdown(context.Background())
}

// Stop stops the server at once: connections close and calls in flight are
// cancelled.
func (s *Server) Stop() {
	s.drain()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.gateway.shutdown(ctx)
	s.grpc.Stop()
	s.closeHTTP(ctx)
}

// MetricsHandler serves the server's metrics in the Prometheus format.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

// ServeMetrics serves the metrics at /metrics over HTTP on lis, until the
// server stops; it then returns nil.
func (s *Server) ServeMetrics(lis net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.MetricsHandler())
	hs := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	return s.http.serve(hs, lis)
}

// closeHTTP shuts the metrics servers down, at once if ctx has ended.
func (s *Server) closeHTTP(ctx context.Context) { s.http.shutdown(ctx) }
