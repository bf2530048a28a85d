package proxytest

import (
	"bytes"
	"compress/gzip"

	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"

	"sync"
	"testing"
	"time"
)

// Routes of the fake upstream. Paths under CodePath and FlakyPath take their
// parameters from the query.
const (
	// CodePath + "rest/9003" or "oauth/1005" answers that code in its
	// family's shape; query status (default 400), pretty=1 for a body over
	// several lines, flat=1 for the REST shape without error_info.
	CodePath = "/code/"
	// OKPath answers a small JSON success.
	OKPath = "/ok"
	// EchoPath answers 200 with what arrived: method, host, path, query,
	// protocol, headers and the body's length, as JSON ([Echo]).
	EchoPath = "/echo"
	// HTMLBadGatewayPath answers 502 with an HTML page, as gateways do.
	HTMLBadGatewayPath = "/shape/html-502"
	// EmptyOKPath answers 200 with no body.
	EmptyOKPath = "/shape/empty-200"
	// OAuthErrorAt200Path answers 200 with an OAuth body whose code (1005)
	// comes last, after a data object.
	OAuthErrorAt200Path = "/shape/oauth-200"
	// TooManyRequestsPath and ForbiddenPath answer 429 and 403 with no body.
	TooManyRequestsPath = "/shape/429"
	ForbiddenPath       = "/shape/403"
	// SlowPath answers a chunked 200 JSON array slowly: query chunks (5) and
	// interval (20ms); each chunk is flushed.
	SlowPath = "/shape/slow"
	// StreamPath answers a chunked application/octet-stream body (labelled
	// JSON with query type=json) of query bytes, flushed every 32 KiB.
	StreamPath = "/shape/stream"
	// HoldPath answers 200 (application/octet-stream, or JSON with query
	// type=json), flushes the headers and a first chunk, and then holds the
	// response open until [Upstream.Release] or the client leaves; then it
	// sends the rest. The chunks are `{"held":` and `true}` unless queries
	// first and rest say otherwise.
	HoldPath = "/shape/hold"
	// DelayPath waits for query delay before it answers [OKPath]'s body.
	DelayPath = "/shape/delay"
	// ResetPath and ResetErrorPath announce a body of 4,096 bytes, send part
	// of it and reset the connection: a 200 (JSON, or application/octet-stream
	// with query type=octet), and a 500 error body.
	ResetPath      = "/shape/reset"
	ResetErrorPath = "/shape/reset-error"
	// GzipErrorPath answers code 9003 at HTTP 400 with a gzip-encoded body.
	GzipErrorPath = "/shape/gzip-error"
	// FlakyPath + key answers query code (in query family, with query
	// status) to the first query times (1) requests of that key, then a
	// success; [Upstream.Hits] counts them.
	FlakyPath = "/flaky/"
)

// okBody is the success of [OKPath], about the size of a typical error body.
const okBody = `{"meeting_number":1,"meeting_info_list":[{"subject":"weekly","meeting_id":"7567173273889276131"}]}`

// OKBody returns the body [OKPath] answers.
func OKBody() string { return okBody }

// Echo is what [EchoPath] answers.
type Echo struct {
	Method   string      `json:"method"`
	Host     string      `json:"host"`
	Path     string      `json:"path"`
	RawQuery string      `json:"rawQuery"`
	Proto    string      `json:"proto"`
	Header   http.Header `json:"header"`
	BodySize int64       `json:"bodySize"`
}

// Upstream is the fake upstream's handler. The zero value is not usable:
// call [NewUpstream].
type Upstream struct {
	mux     *http.ServeMux
	mu      sync.Mutex
	hits    map[string]int
	release chan struct{}
	once    sync.Once
	bodies  sync.Map // bodyKey → *codeAnswer
}

// NewUpstream returns the fake upstream's handler.
func NewUpstream() *Upstream {
	u := &Upstream{mux: http.NewServeMux(), hits: make(map[string]int), release: make(chan struct{})}
	u.mux.HandleFunc(CodePath+"{family}/{code}", u.code)
	u.mux.HandleFunc(OKPath, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, okBody)
	})
	u.mux.HandleFunc(EchoPath, echo)
	u.mux.HandleFunc(HTMLBadGatewayPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
	})
	u.mux.HandleFunc(EmptyOKPath, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	u.mux.HandleFunc(OAuthErrorAt200Path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Gw-Trace-Id", "gw-trace-oauth")
		writeJSON(w, http.StatusOK, `{"data":{"access_token":"","expires_in":0},"message":"access_token expired","nonce":"n-200","code":1005}`)
	})
	u.mux.HandleFunc(TooManyRequestsPath, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
	u.mux.HandleFunc(ForbiddenPath, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	u.mux.HandleFunc(SlowPath, slow)
	u.mux.HandleFunc(StreamPath, stream)
	u.mux.HandleFunc(HoldPath, u.hold)
	u.mux.HandleFunc(DelayPath, func(w http.ResponseWriter, r *http.Request) {
		d, _ := time.ParseDuration(r.URL.Query().Get("delay"))
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		writeJSON(w, http.StatusOK, okBody)
	})
	u.mux.HandleFunc(ResetPath, func(w http.ResponseWriter, r *http.Request) {
		contentType := "application/json"
		if r.URL.Query().Get("type") == "octet" {
			contentType = "application/octet-stream"
		}
		reset(w, http.StatusOK, contentType, `{"meeting_info_list":[{"subject":"`)
	})
	u.mux.HandleFunc(ResetErrorPath, func(w http.ResponseWriter, r *http.Request) {
		reset(w, http.StatusInternalServerError, "application/json", `{"error_info":{"error_code":41,"mess`)
	})
	u.mux.HandleFunc(FlakyPath+"{key}", u.flaky)
	u.mux.HandleFunc(GzipErrorPath, func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = io.WriteString(zw, Body("rest", 9003, false))
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		writeJSON(w, http.StatusBadRequest, b.String())
	})
	return u
}

// ServeHTTP implements http.Handler.
func (u *Upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) { u.mux.ServeHTTP(w, r) }

// Hits returns how many requests [FlakyPath]+key has had.
func (u *Upstream) Hits(key string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.hits[key]
}

// Release lets every response held by [HoldPath] finish.
func (u *Upstream) Release() { u.once.Do(func() { close(u.release) }) }

// Body returns the body the upstream sends for code in family ("rest" or
// "oauth"), on one line or pretty-printed.
func Body(family string, code int64, pretty bool) string {
	var v any
	msg := fmt.Sprintf("upstream message for %d: 错误", code)
	if family == "oauth" {
		v = map[string]any{"code": code, "message": msg, "nonce": fmt.Sprintf("nonce-%d", code)}
	} else {
		v = map[string]any{"error_info": map[string]any{"error_code": code, "new_error_code": 1_000_000_000 + code, "message": msg}}
	}
	var b []byte
	if pretty {
		b, _ = json.MarshalIndent(v, "", "    ")
	} else {
		b, _ = json.Marshal(v)
	}
	return string(b)
}

func (u *Upstream) code(w http.ResponseWriter, r *http.Request) {
	family := r.PathValue("family")
	code, err := strconv.ParseInt(r.PathValue("code"), 10, 64)
	if err != nil || family != "rest" && family != "oauth" {
		http.Error(w, "want /code/rest|oauth/<integer>", http.StatusTeapot)
		return
	}
	status, pretty, flat := http.StatusBadRequest, false, false
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		if v, err := strconv.Atoi(q.Get("status")); err == nil {
			status = v
		}
		pretty, flat = q.Get("pretty") == "1", q.Get("flat") == "1" && family == "rest"
	}
	a := u.answer(bodyKey{family, code, pretty, flat})
	w.Header()[a.traceName] = a.trace
	writeJSON(w, status, a.body)
}

// bodyKey names a cached answer of [CodePath].
type bodyKey struct {
	family string
	code   int64
	pretty bool
	flat   bool
}

// codeAnswer is the body and trace header of one code's answer.
type codeAnswer struct {
	body      string
	traceName string // canonical
	trace     []string
}

// answer is the answer for k, built once, so that an error costs the fake
// upstream little more than a success does (benchmarks compare the two).
func (u *Upstream) answer(k bodyKey) *codeAnswer {
	if v, ok := u.bodies.Load(k); ok {
		return v.(*codeAnswer)
	}
	a := &codeAnswer{body: Body(k.family, k.code, k.pretty)}
	if k.flat {
		a.body = fmt.Sprintf(`{"error_code":%d,"new_error_code":%d,"message":"flat %d"}`, k.code, 101_000_000+k.code, k.code)
	}
	if k.family == "oauth" {
		a.traceName, a.trace = "Gw-Trace-Id", []string{"gw-" + strconv.FormatInt(k.code, 10)}
	} else {
		a.traceName, a.trace = textproto.CanonicalMIMEHeaderKey("X-TC-Trace"), []string{"trace-" + strconv.FormatInt(k.code, 10)}
	}
	u.bodies.Store(k, a)
	return a
}

func (u *Upstream) flaky(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	u.mu.Lock()
	u.hits[key]++
	n := u.hits[key]
	u.mu.Unlock()
	if n > queryInt(r, "times", 1) {
		writeJSON(w, http.StatusOK, `{"meeting_number":0,"meeting_info_list":[]}`)
		return
	}
	family := r.URL.Query().Get("family")
	if family == "" {
		family = "rest"
	}
	writeJSON(w, queryInt(r, "status", http.StatusBadRequest), Body(family, int64(queryInt(r, "code", 190310)), false))
}

func echo(w http.ResponseWriter, r *http.Request) {
	n, _ := io.Copy(io.Discard, r.Body)
	e := Echo{Method: r.Method, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Proto: r.Proto, Header: r.Header, BodySize: n}
	b, _ := json.Marshal(e)
	writeJSON(w, http.StatusOK, string(b))
}

func slow(w http.ResponseWriter, r *http.Request) {
	chunks := queryInt(r, "chunks", 5)
	interval, err := time.ParseDuration(r.URL.Query().Get("interval"))
	if err != nil {
		interval = 20 * time.Millisecond
	}
	w.Header().Set("Content-Type", "application/json")
	rc := http.NewResponseController(w)
	_, _ = io.WriteString(w, "[")
	for i := 0; i < chunks; i++ {
		if i > 0 {
			_, _ = io.WriteString(w, ",")
		}
		fmt.Fprintf(w, `{"chunk":%d}`, i)
		if rc.Flush() != nil {
			return
		}
		select {
		case <-time.After(interval):
		case <-r.Context().Done():
			return
		}
	}
	_, _ = io.WriteString(w, "]")
}

// streamChunk is the pattern of [StreamPath] bodies.
var streamChunk = bytes.Repeat([]byte("0123456789abcdef"), 2048) // 32 KiB

func stream(w http.ResponseWriter, r *http.Request) {
	total := int64(queryInt(r, "bytes", 1<<20))
	w.Header().Set("Content-Type", "application/octet-stream")
	if r.URL.Query().Get("type") == "json" {
		w.Header().Set("Content-Type", "application/json") // not JSON, but the peek cannot tell
	}
	rc := http.NewResponseController(w)
	for sent := int64(0); sent < total; {
		n := min(int64(len(streamChunk)), total-sent)
		if _, err := w.Write(streamChunk[:n]); err != nil {
			return
		}
		sent += n
		if rc.Flush() != nil {
			return
		}
	}
}

// StreamByte is the byte at offset i of a [StreamPath] body.
func StreamByte(i int64) byte { return streamChunk[i%int64(len(streamChunk))] }

func (u *Upstream) hold(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	if r.URL.Query().Get("type") == "json" {
		w.Header().Set("Content-Type", "application/json")
	}
	first, rest := `{"held":`, "true}"
	if q := r.URL.Query(); q.Has("first") {
		first, rest = q.Get("first"), q.Get("rest")
	}
	_, _ = io.WriteString(w, first)
	_ = http.NewResponseController(w).Flush()
	select {
	case <-u.release:
		_, _ = io.WriteString(w, rest)
	case <-r.Context().Done():
	}
}

// reset announces 4,096 bytes, sends prefix, and resets the connection.
func reset(w http.ResponseWriter, status int, contentType, prefix string) {
	hj, ok := w.(http.Hijacker)
	if !ok { // HTTP/2: abort the stream instead
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, prefix)
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: 4096\r\n\r\n%s", status, http.StatusText(status), contentType, prefix)
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST
	}
	_ = conn.Close()
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func queryInt(r *http.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.URL.Query().Get(name)); err == nil {
		return v
	}
	return def
}

// Server is a running fake upstream.
type Server struct {
	*httptest.Server
	*Upstream
	mu    sync.Mutex
	conns int
}

// NewConns returns how many connections the server has accepted.
func (s *Server) NewConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Start starts a fake upstream on loopback: plain HTTP/1.1, or, with tls
// set, HTTPS offering HTTP/2 and HTTP/1.1 with a certificate from
// httptest. It stops when the test ends.
func Start(tb testing.TB, useTLS bool) *Server {
	tb.Helper()
	s := &Server{Upstream: NewUpstream()}
	s.Server = httptest.NewUnstartedServer(s.Upstream)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	if useTLS {
		s.EnableHTTP2 = true
		s.StartTLS()
	} else {
		s.Start()
	}
	tb.Cleanup(func() {
		s.Release()
		s.Close()
	})
	return s
}

// CAFile writes the certificate of a TLS server to a PEM file in a
// temporary directory and returns its path.
func (s *Server) CAFile(tb testing.TB) string {
	tb.Helper()
	cert := s.Certificate()
	if cert == nil {
		tb.Fatal("proxytest: the server does not serve TLS")
	}
	path := tb.TempDir() + "/upstream-ca.pem"
	if err := writePEM(path, cert.Raw); err != nil {
		tb.Fatal(err)
	}
	return path
}
