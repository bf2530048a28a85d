package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/errbridge/errbridge/drain"
	"github.com/errbridge/errbridge/proxy"
)

// proxyFlags are the flags of proxy.
type proxyFlags struct {
	engine                engineFlags
	listen                string
	upstream              string
	metricsListen         string
	errorBody             string
	upstreamCA            string
	tlsCert               string
	tlsKey                string
	maxRequestBytes       int64
	dialTimeout           time.Duration
	tlsHandshakeTimeout   time.Duration
	responseHeaderTimeout time.Duration
	idleConnTimeout       time.Duration
	maxIdleConns          int
	readHeaderTimeout     time.Duration
	idleTimeout           time.Duration
	drain                 drainFlags
	logLevel              string
}

func (p *proxyFlags) flagSet() *flagSet {
	f := newFlagSet("proxy", "errbridge proxy [flags]")
	f.example = "Forwards every request to --upstream and answers each failed response with the\n" +
		"canonical google.rpc.Status in X-Errbridge-* headers (and, with --error-body, the body)."
	p.engine.registerEnv(f, "PROXY_")
	str := func(ptr *string, name, def, usage string) {
		f.fs.StringVar(ptr, name, def, usage)
		f.bind(name, envName("PROXY_", name))
	}
	dur := func(ptr *time.Duration, name string, def time.Duration, usage string) {
		f.fs.DurationVar(ptr, name, def, usage)
		f.bind(name, envName("PROXY_", name))
	}
	str(&p.listen, "listen", ":8081", "the `address` to serve HTTP on")
	str(&p.upstream, "upstream", "https://api.meeting.qq.com", "the upstream `URL`: every request goes there, and nowhere else")
	str(&p.metricsListen, "metrics-listen", "", "the `address` to serve /metrics, /readyz and /livez on, over HTTP (off when empty)")
	str(&p.errorBody, "error-body", "upstream", "the `mode` of translated error bodies: upstream (unchanged), google (AIP-193 JSON) or sdk (the envelope, repaired); a request's X-Errbridge-Error-Body overrides it")
	str(&p.upstreamCA, "upstream-ca", "", "a PEM `file` of CAs trusted for the upstream, besides the system roots")
	str(&p.tlsCert, "tls-cert", "", "a PEM certificate chain `file`: serve HTTPS, HTTP/2 included (with --tls-key)")
	str(&p.tlsKey, "tls-key", "", "the PEM private key `file` of --tls-cert")
	f.fs.Int64Var(&p.maxRequestBytes, "max-request-bytes", proxy.DefaultMaxRequestBytes, "the largest request body forwarded, in `bytes`; larger ones get 413")
	f.bind("max-request-bytes", envName("PROXY_", "max-request-bytes"))
	dur(&p.dialTimeout, "dial-timeout", proxy.DefaultDialTimeout, "the longest connecting to the upstream may take")
	dur(&p.tlsHandshakeTimeout, "tls-handshake-timeout", proxy.DefaultTLSHandshakeTimeout, "the longest the TLS handshake with the upstream may take")
	dur(&p.responseHeaderTimeout, "response-header-timeout", proxy.DefaultResponseHeaderTimeout, "the longest the upstream may take to send response headers (then 504)")
	dur(&p.idleConnTimeout, "idle-conn-timeout", proxy.DefaultIdleConnTimeout, "close idle upstream connections after this long")
	f.fs.IntVar(&p.maxIdleConns, "max-idle-conns", proxy.DefaultMaxIdleConns, "the most idle upstream `connections` kept for reuse")
	f.bind("max-idle-conns", envName("PROXY_", "max-idle-conns"))
	dur(&p.readHeaderTimeout, "read-header-timeout", 10*time.Second, "the longest a client may take to send request headers")
	dur(&p.idleTimeout, "idle-timeout", 2*time.Minute, "close idle client connections after this long")
	p.drain.register(dur, "report not ready on /readyz", "requests")
	str(&p.logLevel, "log-level", "info", "the least `level` logged: debug, info, warn or error")
	return f
}

// options turns the flags into proxy options.
func (p *proxyFlags) options(logger *slog.Logger) ([]proxy.Option, error) {
	t, err := p.engine.translator()
	if err != nil {
		return nil, err
	}
	mode, err := proxy.ParseErrorBody(p.errorBody)
	if err != nil {
		return nil, fmt.Errorf("--error-body: %w", err)
	}
	switch {
	case (p.tlsCert == "") != (p.tlsKey == ""):
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if err := p.drain.check(); err != nil {
		return nil, err
	}
	opts := []proxy.Option{
		proxy.WithTranslator(t),
		proxy.WithLogger(logger),
		proxy.WithErrorBody(mode),
		proxy.WithMaxRequestBytes(p.maxRequestBytes),
		proxy.WithMaxErrorBodyBytes(p.engine.maxBodyBytes),
		proxy.WithUpstreamTimeouts(p.dialTimeout, p.tlsHandshakeTimeout, p.responseHeaderTimeout),
		proxy.WithUpstreamIdleConns(p.maxIdleConns, p.idleConnTimeout),
	}
	if p.upstreamCA != "" {
		opts = append(opts, proxy.WithUpstreamCAFile(p.upstreamCA))
	}
	return opts, nil
}

// proxy runs the egress proxy until SIGTERM or SIGINT (or ctx's end). Then
// /readyz turns not ready at once, the proxy keeps serving for
// --drain-delay so that load balancers notice, stops accepting, and lets
// requests in flight finish within --shutdown-timeout.
func (a *app) proxy(ctx context.Context, args []string) int {
	var pf proxyFlags
	logger, code, ok := a.startCommand(pf.flagSet(), args, &pf.logLevel)
	if !ok {
		return code
	}
	opts, err := pf.options(logger)
	if err != nil {
		fmt.Fprintf(a.stderr, "errbridge proxy: %v\n", err)
		return exitUsage
	}
	p, err := proxy.New(pf.upstream, opts...)
	if err != nil {
		logger.Error("cannot configure the proxy", "error", err.Error())
		return exitFailure
	}
	if pf.engine.catalogOverlay != "" {
		logOverlay(logger, "catalogue overlay loaded", p.Translator())
	}
	hs := &http.Server{
		Handler:           p,
		ReadHeaderTimeout: pf.readHeaderTimeout,
		IdleTimeout:       pf.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	if pf.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(pf.tlsCert, pf.tlsKey)
		if err != nil {
			logger.Error("cannot load the TLS certificate", "error", err.Error())
			return exitFailure
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	lis, err := net.Listen("tcp", pf.listen)
	if err != nil {
		logger.Error("cannot listen", "addr", pf.listen, "error", err.Error())
		return exitFailure
	}
	var health drain.Health
	var ms *http.Server
	var mlis net.Listener
	if pf.metricsListen != "" {
		if mlis, err = net.Listen("tcp", pf.metricsListen); err != nil {
			_ = lis.Close()
			logger.Error("cannot listen for metrics", "addr", pf.metricsListen, "error", err.Error())
			return exitFailure
		}
		ms = &http.Server{Handler: probeMux(p.MetricsHandler(), &health), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	}

	ctx, stopSignals := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stopSignals()
	stopWithGoRun(logger)
	errc := make(chan error, 2)
	go func() {
		if hs.TLSConfig != nil {
			errc <- hs.ServeTLS(lis, "", "")
		} else {
			errc <- hs.Serve(lis)
		}
	}()
	attrs := []any{"addr", lis.Addr().String(), "upstream", p.Upstream().String(), "tls", pf.tlsCert != "", "error_body", pf.errorBody}
	var maddr net.Addr
	if ms != nil {
		maddr = mlis.Addr()
		attrs = append(attrs, "metrics_addr", maddr.String())
		go func() { errc <- ms.Serve(mlis) }()
	}
	logger.Info("serving", attrs...)
	if a.ready != nil {
		a.ready(lis.Addr(), maddr, nil)
	}

	code = a.waitAndDrain(ctx, stopSignals, lifecycle{
		logger: logger, errc: errc, engine: &pf.engine, reload: p,
		target: proxyDrain{drain.HTTPServer{Server: hs, Health: &health}},
		delay:  pf.drain.delay, timeout: pf.drain.timeout, what: "requests",
	})
	p.CloseIdleConnections()
	if ms != nil {
		_ = ms.Close()
	}
	return code
}

// probeMux serves the metrics, and the probes: /livez while the process
// runs, /readyz until the drain starts.
func probeMux(metrics http.Handler, ready *drain.Health) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.Handle("GET /readyz", ready)
	return mux
}

// proxyDrain drains the proxy's HTTP server: when the drain starts it also
// ends keep-alives, so that clients reconnect, elsewhere, during the delay.
type proxyDrain struct{ drain.HTTPServer }

// NotServing implements drain.Target.
func (d proxyDrain) NotServing() {
	d.HTTPServer.NotServing()
	d.Server.SetKeepAlivesEnabled(false)
}
