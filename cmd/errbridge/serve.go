package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/grpc/keepalive"
)

// serveFlags are the flags of serve.
type serveFlags struct {
	engine               engineFlags
	listen               string
	metricsListen        string
	httpListen           string
	maxBatch             int
	maxBatchBytes        int
	memoryBudget         int64
	maxConcurrentStreams uint
	streamWorkers        uint
	connectionTimeout    time.Duration
	receiveTimeout       time.Duration
	keepaliveMinTime     time.Duration
	keepalivePermit      bool
	keepaliveTime        time.Duration
	keepaliveTimeout     time.Duration
	maxConnectionIdle    time.Duration
	maxConnectionAge     time.Duration
	maxConnectionGrace   time.Duration
	tlsCert              string
	tlsKey               string
	tlsClientCA          string
	drain                drainFlags
	logLevel             string
}

func (s *serveFlags) flagSet() *flagSet {
	f := newFlagSet("serve", "errbridge [serve] [flags]")
	s.engine.register(f)
	str := func(p *string, name, def, usage string) {
		f.fs.StringVar(p, name, def, usage)
		f.bind(name, envName("", name))
	}
	dur := func(p *time.Duration, name string, def time.Duration, usage string) {
		f.fs.DurationVar(p, name, def, usage)
		f.bind(name, envName("", name))
	}
	str(&s.listen, "listen", ":50051", "the `address` to serve gRPC on")
	str(&s.metricsListen, "metrics-listen", "", "the `address` to serve Prometheus metrics on at /metrics, over HTTP (off when empty)")
	str(&s.httpListen, "http-listen", ":8080", "the `address` to serve HTTP on: Connect, gRPC-Web, the REST paths and the catalogue page at / (off: none)")
	f.fs.IntVar(&s.maxBatch, "max-batch", service.DefaultMaxBatch, "the most `requests` a TranslateBatch may hold")
	f.bind("max-batch", envName("", "max-batch"))
	f.fs.IntVar(&s.maxBatchBytes, "max-batch-bytes", server.DefaultMaxBatchBytes, "the largest encoded TranslateBatch request, in `bytes`; larger ones are refused with RESOURCE_EXHAUSTED before they are read")
	f.bind("max-batch-bytes", envName("", "max-batch-bytes"))
	f.fs.Int64Var(&s.memoryBudget, "memory-budget", server.DefaultMemoryBudget, "the `bytes` that calls in flight may hold in all: a call reserves 2 × the receive limit while its message is read, then its request's size plus 12 KiB a translation; a call that does not fit (within 250 ms, or with 512 calls waiting) is refused with RESOURCE_EXHAUSTED and a RetryInfo. Health and reflection calls reserve from 4 × 2 × the receive limit of their own. Peak memory ≈ 20 MiB + this + 8 × the receive limit + 512 × the stream window (max-body-bytes + 16 KiB) + 100 KiB a connection")
	f.bind("memory-budget", envName("", "memory-budget"))
	f.fs.UintVar(&s.maxConcurrentStreams, "max-concurrent-streams", server.DefaultMaxConcurrentStreams, "the most concurrent `calls` on one connection")
	f.bind("max-concurrent-streams", envName("", "max-concurrent-streams"))
	f.fs.UintVar(&s.streamWorkers, "stream-workers", server.DefaultStreamWorkers, "how many `goroutines` serve calls and are kept between them (0: one per call)")
	f.bind("stream-workers", envName("", "stream-workers"))
	dur(&s.connectionTimeout, "connection-timeout", server.DefaultConnectionTimeout, "the longest a new connection may take to set up, TLS handshake included")
	dur(&s.receiveTimeout, "receive-timeout", server.DefaultReceiveTimeout, "the longest a call may hold its reservation of the memory budget waiting for its request message (each message, on a stream); a call past it ends with DEADLINE_EXCEEDED")
	dur(&s.keepaliveMinTime, "keepalive-min-time", server.DefaultKeepaliveMinTime, "the shortest interval between a client's keepalive pings; faster clients are disconnected")
	f.fs.BoolVar(&s.keepalivePermit, "keepalive-permit-without-stream", true, "allow keepalive pings on connections without calls")
	f.bind("keepalive-permit-without-stream", envName("", "keepalive-permit-without-stream"))
	dur(&s.keepaliveTime, "keepalive-time", server.DefaultKeepaliveTime, "ping a connection after it has been quiet this long")
	dur(&s.keepaliveTimeout, "keepalive-timeout", server.DefaultKeepaliveTimeout, "close a connection whose ping is not answered within this")
	dur(&s.maxConnectionIdle, "keepalive-max-connection-idle", 0, "close connections idle this long (0: never)")
	dur(&s.maxConnectionAge, "keepalive-max-connection-age", server.DefaultMaxConnectionAge, "ask clients to reconnect, gracefully, on connections this old, so that they re-resolve and spread over new replicas (0: never)")
	dur(&s.maxConnectionGrace, "keepalive-max-connection-age-grace", server.DefaultMaxConnectionAgeGrace, "after max-connection-age, wait this long for calls before closing hard (0: forever)")
	str(&s.tlsCert, "tls-cert", "", "a PEM certificate chain `file`: serve TLS (with --tls-key)")
	str(&s.tlsKey, "tls-key", "", "the PEM private key `file` of --tls-cert")
	str(&s.tlsClientCA, "tls-client-ca", "", "a PEM `file` of CAs: require client certificates signed by one (mTLS)")
	s.drain.register(dur, "report NOT_SERVING", "calls")
	str(&s.logLevel, "log-level", "info", "the least `level` logged: debug, info, warn or error")
	return f
}

// parseLogLevel reads a slog level name.
func parseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("invalid log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// options turns the flags into server options.
func (s *serveFlags) options(logger *slog.Logger) ([]server.Option, error) {
	t, err := s.engine.translator()
	if err != nil {
		return nil, err
	}
	if s.maxConcurrentStreams > 1<<32-1 {
		return nil, fmt.Errorf("invalid --max-concurrent-streams %d", s.maxConcurrentStreams)
	}
	if s.streamWorkers > server.MaxStreamWorkers {
		return nil, fmt.Errorf("invalid --stream-workers %d: at most %d", s.streamWorkers, server.MaxStreamWorkers)
	}
	opts := []server.Option{
		server.WithTranslator(t),
		server.WithLogger(logger),
		server.WithMaxBodyBytes(s.engine.maxBodyBytes),
		server.WithMaxBatch(s.maxBatch),
		server.WithMaxBatchBytes(s.maxBatchBytes),
		server.WithMemoryBudget(s.memoryBudget),
		server.WithMaxConcurrentStreams(uint32(s.maxConcurrentStreams)),
		server.WithStreamWorkers(uint32(s.streamWorkers)),
		server.WithConnectionTimeout(s.connectionTimeout),
		server.WithReceiveTimeout(s.receiveTimeout),
		server.WithKeepalive(
			keepalive.EnforcementPolicy{MinTime: s.keepaliveMinTime, PermitWithoutStream: s.keepalivePermit},
			keepalive.ServerParameters{
				MaxConnectionIdle:     s.maxConnectionIdle,
				MaxConnectionAge:      s.maxConnectionAge,
				MaxConnectionAgeGrace: s.maxConnectionGrace,
				Time:                  s.keepaliveTime,
				Timeout:               s.keepaliveTimeout,
			}),
	}
	switch {
	case s.tlsCert != "" || s.tlsKey != "":
		opts = append(opts, server.WithTLSFiles(s.tlsCert, s.tlsKey, s.tlsClientCA))
	case s.tlsClientCA != "":
		return nil, fmt.Errorf("--tls-client-ca needs --tls-cert and --tls-key")
	}
	if err := s.drain.check(); err != nil {
		return nil, err
	}
	return opts, nil
}

// httpOn reports whether --http-listen asks for the HTTP port: "off" (or
// nothing) turns it off.
func httpOn(addr string) bool {
	return addr != "" && !strings.EqualFold(addr, "off")
}

// serve runs the server until SIGTERM or SIGINT (or ctx's end), then drains
// it: NOT_SERVING at once, serving on for --drain-delay, then no new calls
// and --shutdown-timeout for those in flight.
func (a *app) serve(ctx context.Context, args []string) int {
	var sf serveFlags
	logger, code, ok := a.startCommand(sf.flagSet(), args, &sf.logLevel)
	if !ok {
		return code
	}
	opts, err := sf.options(logger)
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge serve: %v\n", err)
		return exitUsage
	}
	srv, err := server.New(opts...)
	if err != nil {
		logger.Error("cannot configure the server", "error", err.Error())
		return exitFailure
	}
	if sf.engine.catalogOverlay != "" {
		logOverlay(logger, "catalogue overlay loaded", srv.Service().Translator())
	}
	lis, err := net.Listen("tcp", sf.listen)
	if err != nil {
		logger.Error("cannot listen", "addr", sf.listen, "error", err.Error())
		return exitFailure
	}
	var mlis net.Listener
	if sf.metricsListen != "" {
		if mlis, err = net.Listen("tcp", sf.metricsListen); err != nil {
			_ = lis.Close()
			logger.Error("cannot listen for metrics", "addr", sf.metricsListen, "error", err.Error())
			return exitFailure
		}
	}
	var hlis net.Listener
	if httpOn(sf.httpListen) {
		if hlis, err = net.Listen("tcp", sf.httpListen); err != nil {
			_ = lis.Close()
			if mlis != nil {
				_ = mlis.Close()
			}
			logger.Error("cannot listen for HTTP", "addr", sf.httpListen, "error", err.Error())
			return exitFailure
		}
	}

	ctx, stopSignals := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stopSignals()
	stopWithGoRun(logger)
	errc := make(chan error, 3)
	go func() { errc <- srv.Serve(lis) }()
	attrs := []any{"addr", lis.Addr().String(), "tls", sf.tlsCert != "", "mtls", sf.tlsClientCA != ""}
	var maddr, haddr net.Addr
	if mlis != nil {
		maddr = mlis.Addr()
		attrs = append(attrs, "metrics_addr", maddr.String())
		go func() { errc <- srv.ServeMetrics(mlis) }()
	}
	if hlis != nil {
		haddr = hlis.Addr()
		attrs = append(attrs, "http_addr", haddr.String())
		go func() { errc <- srv.ServeGateway(hlis) }()
	}
	logger.Info("serving", attrs...)
	if a.ready != nil {
		a.ready(lis.Addr(), maddr, haddr)
	}

	return a.waitAndDrain(ctx, stopSignals, lifecycle{
		logger: logger, errc: errc, engine: &sf.engine, reload: srv,
		target: drainLogged{srv, logger}, delay: sf.drain.delay, timeout: sf.drain.timeout, what: "calls",
	})
}

// drainLogged is the server as a drain target, logging when the drain
// delay is over and the listener closes.
type drainLogged struct {
	*server.Server
	logger *slog.Logger
}

// Shutdown implements drain.Target.
func (d drainLogged) Shutdown(ctx context.Context) error {
	d.logger.Info("drain delay over: no longer accepting calls")
	return d.Server.Shutdown(ctx)
}
