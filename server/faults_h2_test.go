package server_test

// Raw HTTP/2 fault tests: what no well-behaved gRPC client sends — garbage,
// idle and slowloris connections, frame floods, crafted calls — written with
// golang.org/x/net/http2's Framer on a plain TCP connection, while a reader
// records everything the server answers.

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
)

const (
	// clientPreface is what an HTTP/2 client sends first.
	clientPreface = http2.ClientPreface
	// translateMethod is the :path of a Translate call.
	translateMethod = errbridgev1.TranslatorService_Translate_FullMethodName
)

// frameWriter writes HTTP/2 frames, illegal ones included, with an HPACK
// encoder for header blocks. Use one per connection: the encoder's dynamic
// table must match the server's decoder.
type frameWriter struct {
	*http2.Framer
	hbuf bytes.Buffer
	henc *hpack.Encoder
}

func newFrameWriter(w io.Writer) *frameWriter {
	fw := &frameWriter{Framer: http2.NewFramer(w, nil)}
	fw.AllowIllegalWrites = true
	fw.henc = hpack.NewEncoder(&fw.hbuf)
	return fw
}

// headerBlock HPACK-encodes fields, given as name, value pairs.
func (fw *frameWriter) headerBlock(fields ...string) []byte {
	fw.hbuf.Reset()
	for i := 0; i+1 < len(fields); i += 2 {
		_ = fw.henc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]})
	}
	return bytes.Clone(fw.hbuf.Bytes())
}

// writeHeaders writes a complete HEADERS frame of fields.
func (fw *frameWriter) writeHeaders(streamID uint32, endStream bool, fields ...string) error {
	return fw.WriteHeaders(http2.HeadersFrameParam{
		StreamID: streamID, BlockFragment: fw.headerBlock(fields...), EndStream: endStream, EndHeaders: true,
	})
}

// frameBytes returns the bytes build writes, with a fresh frameWriter.
func frameBytes(build func(fw *frameWriter)) []byte {
	var b bytes.Buffer
	build(newFrameWriter(&b))
	return b.Bytes()
}

// settingsFrame is an empty SETTINGS frame.
func settingsFrame() []byte {
	return frameBytes(func(fw *frameWriter) { _ = fw.WriteSettings() })
}

// handshakeBytes are a client's side of the HTTP/2 handshake: the preface
// and an empty SETTINGS frame.
func handshakeBytes() []byte { return concat([]byte(clientPreface), settingsFrame()) }

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// grpcRequestFields are the headers of a gRPC call of path, then extra
// (name, value pairs).
func grpcRequestFields(path string, extra ...string) []string {
	return append([]string{
		":method", "POST", ":scheme", "http", ":path", path, ":authority", "127.0.0.1",
		"content-type", "application/grpc", "te", "trailers",
	}, extra...)
}

// grpcMessage frames payload as one gRPC message: a compressed flag and a
// big-endian length, then the payload.
func grpcMessage(compressed bool, payload []byte) []byte {
	b := make([]byte, 5, 5+len(payload))
	if compressed {
		b[0] = 1
	}
	binary.BigEndian.PutUint32(b[1:], uint32(len(payload)))
	return append(b, payload...)
}

// dialTCP opens a TCP connection to addr, closed when the test ends.
func dialTCP(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, waitBound)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c.(*net.TCPConn)
}

// h2Raw is a raw HTTP/2 client connection: the test writes what it wants,
// and a reader goroutine records what the server sends, until the
// connection ends or the test closes it.
type h2Raw struct {
	t    *testing.T
	conn net.Conn
	mu   sync.Mutex // serializes writes
	fw   *frameWriter
	log  *h2Log
}

// dialH2 connects to addr and starts recording what the server sends. With
// handshake, it sends the client's preface and SETTINGS first.
func dialH2(t *testing.T, addr string, handshake bool) *h2Raw {
	t.Helper()
	conn := dialTCP(t, addr)
	_ = conn.SetWriteDeadline(time.Now().Add(waitBound))
	r := &h2Raw{t: t, conn: conn, fw: newFrameWriter(conn), log: newH2Log()}
	go r.log.read(conn)
	if handshake {
		r.write(handshakeBytes())
	}
	return r
}

// write writes b, failing the test on error.
func (r *h2Raw) write(b []byte) {
	r.t.Helper()
	if err := r.tryWrite(func() error { _, err := r.conn.Write(b); return err }); err != nil {
		r.t.Fatalf("write: %v; the server sent %s", err, r.log.summary())
	}
}

// tryWrite runs a write of the frameWriter or the connection, serialized.
func (r *h2Raw) tryWrite(w func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return w()
}

// call starts a unary call of method on stream id: HEADERS with extra
// metadata (name, value pairs), then msg as one gRPC message ending the
// stream.
func (r *h2Raw) call(id uint32, method string, msg []byte, extra ...string) {
	r.t.Helper()
	err := r.tryWrite(func() error {
		if err := r.fw.writeHeaders(id, false, grpcRequestFields(method, extra...)...); err != nil {
			return err
		}
		return r.fw.WriteData(id, true, grpcMessage(false, msg))
	})
	if err != nil {
		r.t.Fatalf("writing a call: %v; the server sent %s", err, r.log.summary())
	}
}

// waitEnd waits up to bound for the connection to end and says how it did
// ("" if it is still open at the bound). Reading stops either way.
func (r *h2Raw) waitEnd(bound time.Duration) string {
	_ = r.conn.SetReadDeadline(time.Now().Add(bound))
	<-r.log.done
	return closeKind(r.log.error())
}

// waitClosed is waitEnd that fails the test if the server has neither
// closed the connection nor reset it within bound.
func (r *h2Raw) waitClosed(bound time.Duration) string {
	r.t.Helper()
	kind := r.waitEnd(bound)
	if kind == "" {
		r.t.Fatalf("the connection is still open after %v; the server sent %s", bound, r.log.summary())
	}
	return kind
}

// waitStream waits for stream id to end (END_STREAM or RST_STREAM), or the
// connection, and returns what the server said on it.
func (r *h2Raw) waitStream(id uint32) h2Stream {
	r.t.Helper()
	var st h2Stream
	waitFor(r.t, fmt.Sprintf("stream %d to end", id), func() bool {
		var ended bool
		st, ended = r.log.stream(id)
		return ended
	})
	return st
}

// closeKind says how reading a connection ended: "EOF", "reset", or ""
// while it is still open (the read deadline passed).
func closeKind(err error) string {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ""
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	}
	return err.Error()
}

// isIOError reports whether err is the connection's rather than a framing
// error.
func isIOError(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}

// h2Stream is what the server said on one stream.
type h2Stream struct {
	fields map[string]string // headers and trailers
	rst    http2.ErrCode
	reset  bool
	ended  bool
}

// h2Log records what a server sends on one connection.
type h2Log struct {
	mu       sync.Mutex
	raw      []byte   // the first bytes received
	frames   []string // the first frames, described
	more     int      // frames received beyond those
	counts   map[http2.FrameType]int
	goAway   *http2.ErrCode // the code of the first GOAWAY
	goAwayAt string         // its description
	streams  map[uint32]*h2Stream
	acks     map[[8]byte]int // PING ACKs by payload
	notes    []string
	err      error // why reading ended
	done     chan struct{}
}

const (
	maxRawCapture    = 1024
	maxFramesLogged  = 12
	maxNotesRecorded = 4
)

func newH2Log() *h2Log {
	return &h2Log{
		counts: make(map[http2.FrameType]int), streams: make(map[uint32]*h2Stream),
		acks: make(map[[8]byte]int), done: make(chan struct{}),
	}
}

// captureReader keeps the first bytes read for the record.
type captureReader struct {
	r io.Reader
	l *h2Log
}

func (c *captureReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.l.mu.Lock()
		if room := maxRawCapture - len(c.l.raw); room > 0 {
			c.l.raw = append(c.l.raw, p[:min(n, room)]...)
		}
		c.l.mu.Unlock()
	}
	return n, err
}

// read records the frames of conn until it ends. After bytes that are not
// HTTP/2 it drains the connection, to see whether it is closed.
func (l *h2Log) read(conn net.Conn) {
	defer close(l.done)
	cr := &captureReader{r: conn, l: l}
	fr := http2.NewFramer(nil, cr)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	fr.MaxHeaderListSize = 1 << 20
	for {
		f, err := fr.ReadFrame()
		if err == nil {
			l.record(f)
			continue
		}
		var se http2.StreamError
		if errors.As(err, &se) {
			l.note("stream error: " + se.Error())
			continue
		}
		if !isIOError(err) {
			l.note("not HTTP/2: " + err.Error())
			_, err = io.Copy(io.Discard, cr)
			if err == nil {
				err = io.EOF
			}
		}
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
		return
	}
}

func (l *h2Log) note(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.notes) < maxNotesRecorded {
		l.notes = append(l.notes, s)
	}
}

func (l *h2Log) streamLocked(id uint32) *h2Stream {
	st := l.streams[id]
	if st == nil {
		st = &h2Stream{fields: make(map[string]string)}
		l.streams[id] = st
	}
	return st
}

// record notes one frame.
func (l *h2Log) record(f http2.Frame) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts[f.Header().Type]++
	if len(l.frames) < maxFramesLogged {
		l.frames = append(l.frames, describeFrame(f))
	} else {
		l.more++
	}
	switch f := f.(type) {
	case *http2.GoAwayFrame:
		if l.goAway == nil {
			code := f.ErrCode
			l.goAway, l.goAwayAt = &code, describeFrame(f)
		}
	case *http2.RSTStreamFrame:
		st := l.streamLocked(f.StreamID)
		st.rst, st.reset, st.ended = f.ErrCode, true, true
	case *http2.MetaHeadersFrame:
		st := l.streamLocked(f.StreamID)
		for _, hf := range f.Fields {
			st.fields[hf.Name] = hf.Value
		}
		st.ended = st.ended || f.StreamEnded()
	case *http2.DataFrame:
		if f.StreamEnded() {
			l.streamLocked(f.StreamID).ended = true
		}
	case *http2.PingFrame:
		if f.IsAck() {
			l.acks[f.Data]++
		}
	}
}

// describeFrame describes a frame for the record.
func describeFrame(f http2.Frame) string {
	switch f := f.(type) {
	case *http2.SettingsFrame:
		if f.IsAck() {
			return "SETTINGS ACK"
		}
		var s []string
		_ = f.ForeachSetting(func(st http2.Setting) error {
			s = append(s, fmt.Sprintf("%v=%d", st.ID, st.Val))
			return nil
		})
		return "SETTINGS[" + strings.Join(s, " ") + "]"
	case *http2.GoAwayFrame:
		return fmt.Sprintf("GOAWAY(%v, last stream %d, %q)", f.ErrCode, f.LastStreamID, f.DebugData())
	case *http2.RSTStreamFrame:
		return fmt.Sprintf("RST_STREAM(%d, %v)", f.StreamID, f.ErrCode)
	case *http2.MetaHeadersFrame:
		s := fmt.Sprintf("HEADERS(%d", f.StreamID)
		for _, hf := range f.Fields {
			if hf.Name == ":status" || hf.Name == "grpc-status" {
				s += " " + hf.Name + "=" + hf.Value
			}
		}
		return s + ")"
	case *http2.PingFrame:
		if f.IsAck() {
			return "PING ACK"
		}
		return "PING"
	case *http2.WindowUpdateFrame:
		return fmt.Sprintf("WINDOW_UPDATE(%d, +%d)", f.StreamID, f.Increment)
	case *http2.DataFrame:
		return fmt.Sprintf("DATA(%d, %d bytes)", f.StreamID, len(f.Data()))
	}
	return f.Header().Type.String()
}

// stream returns a copy of what the server said on stream id, and whether
// the stream, or the connection, has ended.
func (l *h2Log) stream(id uint32) (h2Stream, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out h2Stream
	if st := l.streams[id]; st != nil {
		out = *st
		out.fields = make(map[string]string, len(st.fields))
		for k, v := range st.fields {
			out.fields[k] = v
		}
	}
	select {
	case <-l.done:
		return out, true
	default:
		return out, out.ended
	}
}

func (l *h2Log) error() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// pingAcked reports whether the server acknowledged a PING of payload data.
func (l *h2Log) pingAcked(data [8]byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.acks[data] > 0
}

func (l *h2Log) count(typ http2.FrameType) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[typ]
}

// goAwayCode returns the code of the first GOAWAY the server sent.
func (l *h2Log) goAwayCode() (http2.ErrCode, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.goAway == nil {
		return 0, false
	}
	return *l.goAway, true
}

// answeredHTTP1 reports whether the server answered in HTTP/1.x.
func (l *h2Log) answeredHTTP1() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.HasPrefix(l.raw, []byte("HTTP/1."))
}

// summary describes what the server sent and how the connection ended.
func (l *h2Log) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	switch {
	case len(l.raw) == 0:
		b.WriteString("nothing")
	case bytes.HasPrefix(l.raw, []byte("HTTP/")):
		fmt.Fprintf(&b, "%q", l.raw[:min(len(l.raw), 64)])
	default:
		b.WriteString(strings.Join(l.frames, ", "))
		if l.more > 0 {
			fmt.Fprintf(&b, " and %d frames more", l.more)
		}
	}
	for _, n := range l.notes {
		b.WriteString(" [" + n + "]")
	}
	select {
	case <-l.done:
		if kind := closeKind(l.err); kind != "" {
			b.WriteString(", then " + kind)
		} else {
			b.WriteString(", connection still open")
		}
	default:
		b.WriteString(", connection open")
	}
	return b.String()
}

// clientHello returns the first TLS record a crypto/tls client sends: its
// ClientHello.
func clientHello(t *testing.T) []byte {
	t.Helper()
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	go func() {
		_ = tls.Client(c1, &tls.Config{ServerName: "errbridge.test", MinVersion: tls.VersionTLS12}).Handshake()
	}()
	_ = c2.SetReadDeadline(time.Now().Add(waitBound))
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(c2, hdr); err != nil {
		t.Fatalf("reading a ClientHello: %v", err)
	}
	body := make([]byte, binary.BigEndian.Uint16(hdr[3:]))
	if _, err := io.ReadFull(c2, body); err != nil {
		t.Fatalf("reading a ClientHello: %v", err)
	}
	return concat(hdr, body)
}

// literalField HPACK-encodes a literal header field that is never indexed,
// with a new name, and neither string Huffman-coded.
func literalField(name, value string) []byte {
	b := []byte{0x10}
	b = hpackString(b, name)
	return hpackString(b, value)
}

// hpackString appends s as an HPACK string literal without Huffman coding.
func hpackString(b []byte, s string) []byte {
	n := uint64(len(s))
	if n < 127 {
		b = append(b, byte(n))
	} else {
		b = append(b, 127)
		for n -= 127; n >= 128; n >>= 7 {
			b = append(b, byte(n&0x7f|0x80))
		}
		b = append(b, byte(n))
	}
	return append(b, s...)
}

// rawFrame is a frame header of the given length, type, flags and stream,
// then payload, which may be shorter than length says.
func rawFrame(length uint32, typ http2.FrameType, flags http2.Flags, stream uint32, payload []byte) []byte {
	h := []byte{byte(length >> 16), byte(length >> 8), byte(length), byte(typ), byte(flags), 0, 0, 0, 0}
	binary.BigEndian.PutUint32(h[5:], stream)
	return append(h, payload...)
}

// TestFaultGarbageOnTheGRPCPort proves that bytes that are not a gRPC
// client's — random bytes, a bogus HTTP/2 preface, HTTP/1.1 requests, a TLS
// ClientHello on the plaintext port, a valid preface or handshake followed
// by malformed frames — are answered or cut off: the server closes the
// connection (after its SETTINGS, sometimes a GOAWAY) within a bound, and
// keeps serving others. The test logs what the server sent in each case.
func TestFaultGarbageOnTheGRPCPort(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithConnectionTimeout(time.Second))
	rng := rand.New(rand.NewPCG(5, 3))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b
	}
	preface := []byte(clientPreface)
	validHeaders := frameBytes(func(fw *frameWriter) { _ = fw.writeHeaders(2, true, grpcRequestFields(translateMethod)...) })
	for _, tc := range []struct {
		name   string
		bytes  []byte
		goAway http2.ErrCode // a GOAWAY the server must send before closing; 0 for none required
	}{
		{name: "random bytes", bytes: random(64)},
		{name: "a few random bytes", bytes: random(10)}, // waits for the handshake timeout
		{name: "bogus HTTP/2 preface", bytes: []byte("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")},
		{name: "HTTP/1.1 request", bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
		{name: "HTTP/1.1 h2c upgrade", bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n" +
			"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")},
		{name: "TLS ClientHello", bytes: clientHello(t)},
		{name: "preface, then random bytes", bytes: concat(preface, random(64))},
		{name: "preface, then PING instead of SETTINGS", bytes: concat(preface, rawFrame(8, http2.FramePing, 0, 0, make([]byte, 8)))},
		{name: "preface, then a 16 MiB frame header", bytes: concat(preface, rawFrame(1<<24-1, http2.FrameData, 0, 1, nil))},
		{name: "handshake, then DATA on stream 0", bytes: concat(handshakeBytes(), rawFrame(4, http2.FrameData, 0, 0, make([]byte, 4)))},
		{name: "handshake, then PING on stream 1", bytes: concat(handshakeBytes(), rawFrame(8, http2.FramePing, 0, 1, make([]byte, 8)))},
		{name: "handshake, then a frame over the max frame size", bytes: concat(handshakeBytes(), rawFrame(1<<14+1, http2.FrameData, 0, 1, nil))},
		{name: "handshake, then a corrupt HPACK block", bytes: concat(handshakeBytes(),
			rawFrame(6, http2.FrameHeaders, http2.FlagHeadersEndHeaders|http2.FlagHeadersEndStream, 1, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}))},
		{name: "handshake, then HEADERS on an even stream", bytes: concat(handshakeBytes(), validHeaders), goAway: http2.ErrCodeProtocol},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := dialH2(t, s.Addr, false)
			r.write(tc.bytes)
			r.waitClosed(15 * time.Second)
			t.Logf("%s: the server sent %s", tc.name, r.log.summary())
			if r.log.answeredHTTP1() {
				t.Logf("(an HTTP/1.x answer)")
			}
			if tc.goAway != 0 {
				if code, ok := r.log.goAwayCode(); !ok || code != tc.goAway {
					t.Errorf("no GOAWAY(%v) before the close", tc.goAway)
				}
			}
			assertHealthy(t, s.Addr)
		})
	}
}

// TestFaultIdleConnectionsAreClosed proves that the connection timeout
// (WithConnectionTimeout) closes connections that do not complete the
// HTTP/2 handshake: 50 that never send a byte, and slowloris ones that send
// part of a preface, the preface alone (grpc-go's handshake deadline covers
// the preface and the client's first SETTINGS), or half a SETTINGS frame.
// All must be closed within 10 s with a 500 ms timeout, and the server keeps
// serving.
func TestFaultIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithConnectionTimeout(500*time.Millisecond))
	for _, tc := range []struct {
		name string
		n    int
		send []byte
	}{
		{"silent connections", 50, nil},
		{"half a preface", 10, []byte(clientPreface[:12])},
		{"preface only (slowloris)", 10, []byte(clientPreface)},
		{"preface and half a SETTINGS frame", 10, concat([]byte(clientPreface), settingsFrame()[:4])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raws := make([]*h2Raw, tc.n)
			for i := range raws {
				raws[i] = dialH2(t, s.Addr, false)
				if len(tc.send) > 0 {
					raws[i].write(tc.send)
				}
			}
			deadline := time.Now().Add(10 * time.Second)
			kinds := make(map[string]int)
			for _, r := range raws {
				kinds[r.waitClosed(time.Until(deadline))]++
			}
			t.Logf("%s: all %d closed by the server (%v); the first was sent %s", tc.name, tc.n, kinds, raws[0].log.summary())
			assertHealthy(t, s.Addr)
		})
	}
}

// TestFaultSlowlorisAfterHandshake documents what ends a connection that
// completes the HTTP/2 handshake (preface and SETTINGS) and then goes
// silent, or stops in the middle of a frame. It is not the connection
// timeout: grpc-go clears that deadline once the handshake is read, so with
// the default keepalive (a ping after 2 h without reads, closed 20 s after an
// unanswered ping) such a connection lives for about two hours. What is
// guaranteed, and tested, is that keepalive closes it: an unanswered ping
// after --keepalive-time, or a GOAWAY after --keepalive-max-connection-idle.
func TestFaultSlowlorisAfterHandshake(t *testing.T) {
	t.Parallel()
	const timeout = 500 * time.Millisecond

	t.Run("connection timeout alone", func(t *testing.T) {
		t.Parallel()
		s := servertest.Start(t, server.WithConnectionTimeout(timeout))
		r := dialH2(t, s.Addr, true)
		// Not asserted: this documents grpc-go's behaviour, which is no
		// fault of errbridge's.
		if kind := r.waitEnd(4 * timeout); kind == "" {
			t.Logf("still open after %v (the connection timeout is %v): only keepalive will close it; the server sent %s",
				4*timeout, timeout, r.log.summary())
		} else {
			t.Logf("closed (%s) within %v: the server sent %s", kind, 4*timeout, r.log.summary())
		}
		assertHealthy(t, s.Addr)
	})

	pingServer := servertest.Start(t, server.WithConnectionTimeout(timeout),
		server.WithKeepalive(server.DefaultKeepaliveEnforcement(), keepalive.ServerParameters{Time: time.Second, Timeout: time.Second}))
	idleServer := servertest.Start(t, server.WithConnectionTimeout(timeout),
		server.WithKeepalive(server.DefaultKeepaliveEnforcement(), keepalive.ServerParameters{
			MaxConnectionIdle: time.Second, Time: server.DefaultKeepaliveTime, Timeout: server.DefaultKeepaliveTimeout,
		}))
	halfHeaders := frameBytes(func(fw *frameWriter) { _ = fw.writeHeaders(1, false, grpcRequestFields(translateMethod)...) })
	halfHeaders = halfHeaders[:len(halfHeaders)/2]
	for _, tc := range []struct {
		name   string
		s      *servertest.Server
		then   []byte
		goAway bool // the server says GOAWAY before closing
	}{
		{"keepalive ping unanswered, silent", pingServer, nil, false},
		{"keepalive ping unanswered, half a HEADERS frame", pingServer, halfHeaders, false},
		{"max connection idle, silent", idleServer, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := dialH2(t, tc.s.Addr, true)
			if len(tc.then) > 0 {
				r.write(tc.then)
			}
			kind := r.waitClosed(30 * time.Second)
			t.Logf("%s: closed (%s); the server sent %s", tc.name, kind, r.log.summary())
			if r.log.count(http2.FramePing) == 0 {
				t.Errorf("the server closed the connection without a ping")
			}
			if code, ok := r.log.goAwayCode(); tc.goAway && (!ok || code != http2.ErrCodeNo) {
				t.Errorf("no GOAWAY(NO_ERROR) before the close")
			}
			assertHealthy(t, tc.s.Addr)
		})
	}
}

// TestFaultFloods proves that the server survives frame floods on one
// connection, each bounded to a few thousand frames, while it reads
// everything: HTTP/2 rapid reset (HEADERS then RST_STREAM, CVE-2023-44487),
// SETTINGS, empty DATA frames, PINGs (answered by a GOAWAY
// ENHANCE_YOUR_CALM "too_many_pings" under the keepalive policy) and a
// CONTINUATION flood past the 16 MiB header list limit (CVE-2023-45288),
// which closes the connection. The server keeps serving after each.
func TestFaultFloods(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithMaxConcurrentStreams(100))
	for _, tc := range []struct {
		name   string
		flood  func(r *h2Raw) (sent int, err error)
		goAway http2.ErrCode // a GOAWAY the server must send; 0 for none required
		closed bool          // the server must close the connection
	}{
		{
			name: "rapid reset",
			flood: func(r *h2Raw) (int, error) {
				const n = 2000 // streams: 4,000 frames
				for i := range n {
					id := uint32(2*i + 1)
					err := r.tryWrite(func() error {
						if err := r.fw.writeHeaders(id, false, grpcRequestFields(translateMethod)...); err != nil {
							return err
						}
						return r.fw.WriteRSTStream(id, http2.ErrCodeCancel)
					})
					if err != nil {
						return 2 * i, err
					}
				}
				return 2 * n, nil
			},
		},
		{
			name: "SETTINGS",
			flood: func(r *h2Raw) (int, error) {
				const n = 2000
				for i := range n {
					if err := r.tryWrite(func() error { return r.fw.WriteSettings() }); err != nil {
						return i, err
					}
				}
				return n, nil
			},
		},
		{
			name: "empty DATA frames",
			flood: func(r *h2Raw) (int, error) {
				const n = 3000
				if err := r.tryWrite(func() error { return r.fw.writeHeaders(1, false, grpcRequestFields(translateMethod)...) }); err != nil {
					return 0, err
				}
				for i := range n {
					if err := r.tryWrite(func() error { return r.fw.WriteData(1, false, nil) }); err != nil {
						return i, err
					}
				}
				return n, r.tryWrite(func() error { return r.fw.WriteRSTStream(1, http2.ErrCodeCancel) })
			},
		},
		{
			name: "PING",
			flood: func(r *h2Raw) (int, error) {
				const n = 100
				for i := range n {
					if err := r.tryWrite(func() error { return r.fw.WritePing(false, [8]byte{byte(i)}) }); err != nil {
						return i, err
					}
				}
				return n, nil
			},
			goAway: http2.ErrCodeEnhanceYourCalm,
			closed: true,
		},
		{
			name: "CONTINUATION past the header list limit",
			flood: func(r *h2Raw) (int, error) {
				// Each CONTINUATION holds one literal field of about 16 KiB,
				// never indexed and not Huffman-coded, so that neither side
				// spends long on HPACK: 1,100 frames hold about 17.6 MiB,
				// past grpc-go's 16 MiB header list limit.
				const n = 1100
				fragment := literalField("x-flood", strings.Repeat("v", 16<<10-16))
				err := r.tryWrite(func() error {
					return r.fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: r.fw.headerBlock(grpcRequestFields(translateMethod)...)})
				})
				if err != nil {
					return 0, err
				}
				for i := range n {
					if err := r.tryWrite(func() error { return r.fw.WriteContinuation(1, false, fragment) }); err != nil {
						return i, err
					}
				}
				return n, nil
			},
			closed: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := dialH2(t, s.Addr, true)
			sent, err := tc.flood(r)
			if err != nil && !tc.closed {
				t.Errorf("the server stopped reading after %d frames: %v", sent, err)
			}
			if tc.closed {
				r.waitClosed(waitBound)
			} else {
				// A PING answered proves the connection still works after the flood.
				alive := [8]byte{'a', 'l', 'i', 'v', 'e'}
				if err := r.tryWrite(func() error { return r.fw.WritePing(false, alive) }); err != nil {
					t.Errorf("writing after the flood: %v", err)
				}
				waitFor(t, "the answer to a ping after the flood", func() bool {
					select {
					case <-r.log.done:
						return true
					default:
						return r.log.pingAcked(alive)
					}
				})
				if !r.log.pingAcked(alive) {
					t.Errorf("the connection ended before answering a ping after the flood: %s", r.log.summary())
				}
			}
			t.Logf("%s flood: %d frames sent (write error: %v); the server sent %s", tc.name, sent, err, r.log.summary())
			if tc.goAway != 0 {
				if code, ok := r.log.goAwayCode(); !ok || code != tc.goAway {
					t.Errorf("no GOAWAY(%v)", tc.goAway)
				}
			}
			assertHealthy(t, s.Addr)
		})
	}
}

// TestFaultRawCalls proves how the server answers calls that a gRPC client
// library would not send: a length prefix of 4 GiB (RESOURCE_EXHAUSTED,
// nothing allocated), a gzip bomb (UNIMPLEMENTED: the server registers no
// gzip decompressor; RESOURCE_EXHAUSTED would also do, should one ever be
// linked in), malformed protobuf and invalid UTF-8 (INTERNAL, grpc-go's
// choice for undecodable requests), a message cut short, unknown methods,
// bad content types and timeouts, a GET. Each gets a gRPC status or a
// stream reset, and the server keeps serving.
func TestFaultRawCalls(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, server.WithMaxBodyBytes(1024), server.WithMaxBatch(4))
	valid := servertest.MustMarshal(t, healthyRequest())
	// The bomb: 160 gzip members of 64 KiB of zeros each, which a
	// (multistream) gzip reader inflates to 10 MiB from about 16 KiB.
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, 64<<10))
	_ = zw.Close()
	bomb := bytes.Repeat(member.Bytes(), 160)
	status := func(c codes.Code) []string { return []string{fmt.Sprint(int(c))} }
	for _, tc := range []struct {
		name    string
		headers []string // the request's headers, with grpcRequestFields's defaults when nil
		data    []byte   // the DATA of the request, ending it
		want    []string // acceptable grpc-status values; empty: a reset or any status will do
	}{
		{name: "valid call", data: grpcMessage(false, valid), want: status(codes.OK)},
		{name: "length prefix of 4 GiB", data: []byte{0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3}, want: status(codes.ResourceExhausted)},
		{
			name:    "gzip bomb",
			headers: grpcRequestFields(translateMethod, "grpc-encoding", "gzip"),
			data:    grpcMessage(true, bomb),
			want:    append(status(codes.Unimplemented), status(codes.ResourceExhausted)...),
		},
		{name: "compressed flag without an encoding", data: grpcMessage(true, valid), want: status(codes.Internal)},
		{name: "malformed protobuf", data: grpcMessage(false, []byte{0x08, 0xff, 0xff, 0xff}), want: status(codes.Internal)},
		{name: "invalid UTF-8 in a string", data: grpcMessage(false, []byte{0x08, 0xf4, 0x03, 0x22, 0x02, 0xff, 0xfe}), want: status(codes.Internal)},
		{name: "message cut short by END_STREAM", data: grpcMessage(false, valid)[:len(valid)/2]},
		{name: "unknown method", headers: grpcRequestFields("/errbridge.v1.TranslatorService/Nope"), data: grpcMessage(false, valid), want: status(codes.Unimplemented)},
		{name: "unknown service", headers: grpcRequestFields("/no.such.Service/Translate"), data: grpcMessage(false, valid), want: status(codes.Unimplemented)},
		{name: "malformed path", headers: grpcRequestFields("no-slash"), data: grpcMessage(false, valid)},
		{
			name:    "timeout of 1 ns",
			headers: grpcRequestFields(translateMethod, "grpc-timeout", "1n"),
			data:    grpcMessage(false, valid),
			want:    status(codes.DeadlineExceeded),
		},
		{name: "malformed timeout", headers: grpcRequestFields(translateMethod, "grpc-timeout", "soon"), data: grpcMessage(false, valid)},
		{
			name:    "HTML content type",
			headers: []string{":method", "POST", ":scheme", "http", ":path", translateMethod, ":authority", "x", "content-type", "text/html"},
			data:    grpcMessage(false, valid),
		},
		{
			name:    "GET",
			headers: []string{":method", "GET", ":scheme", "http", ":path", translateMethod, ":authority", "x", "content-type", "application/grpc"},
			data:    grpcMessage(false, valid),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := dialH2(t, s.Addr, true)
			headers := tc.headers
			if headers == nil {
				headers = grpcRequestFields(translateMethod)
			}
			err := r.tryWrite(func() error {
				if err := r.fw.writeHeaders(1, false, headers...); err != nil {
					return err
				}
				return r.fw.WriteData(1, true, tc.data)
			})
			if err != nil {
				t.Fatalf("writing the call: %v", err)
			}
			st := r.waitStream(1)
			got, ok := st.fields["grpc-status"]
			outcome := fmt.Sprintf(":status %q grpc-status %q grpc-message %q", st.fields[":status"], got, st.fields["grpc-message"])
			if st.reset {
				outcome += fmt.Sprintf(", RST_STREAM(%v)", st.rst)
			}
			t.Logf("%s: %s", tc.name, outcome)
			switch {
			case len(tc.want) > 0 && !(ok && slicesContains(tc.want, got)):
				t.Errorf("answer %s, want grpc-status in %v; the server sent %s", outcome, tc.want, r.log.summary())
			case !ok && !st.reset:
				t.Errorf("the stream ended without a status or a reset; the server sent %s", r.log.summary())
			}
			assertHealthy(t, s.Addr)
		})
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestFaultRawClientIgnoresTheStreamLimit proves that the server enforces
// MAX_CONCURRENT_STREAMS against a client that ignores it: of 150 calls
// opened at once on one connection of a server limited to 100, 100 are
// handled (never more at once) and 50 refused with RST_STREAM
// REFUSED_STREAM; once released, the 100 complete with OK.
func TestFaultRawClientIgnoresTheStreamLimit(t *testing.T) {
	t.Parallel()
	const limit, n = 100, 150
	s, h := startHeld(t, server.WithMaxConcurrentStreams(limit))
	r := dialH2(t, s.Addr, true)
	msg := servertest.MustMarshal(t, healthyRequest())
	for i := range n {
		r.call(uint32(2*i+1), translateMethod, msg, holdKey, "1")
	}
	refused := func() (refused, ok, other int) {
		for i := range n {
			st, _ := r.log.stream(uint32(2*i + 1))
			switch {
			case st.reset && st.rst == http2.ErrCodeRefusedStream:
				refused++
			case st.ended && st.fields["grpc-status"] == "0":
				ok++
			case st.ended:
				other++
			}
		}
		return refused, ok, other
	}
	waitFor(t, "the server to hold 100 calls and refuse 50", func() bool {
		ref, _, _ := refused()
		return h.entered.Load() == limit && ref == n-limit
	})
	for conn, peak := range h.peaks() {
		if peak > limit {
			t.Errorf("connection %s had %d calls in flight, over the limit of %d", conn, peak, limit)
		}
	}
	h.releaseAll()
	waitFor(t, "the held calls to complete", func() bool {
		_, ok, other := refused()
		return ok+other == limit
	})
	if ref, ok, other := refused(); ok != limit || other != 0 {
		t.Errorf("%d refused, %d OK, %d otherwise; want %d, %d, 0; the server sent %s", ref, ok, other, n-limit, limit, r.log.summary())
	}
	assertHealthy(t, s.Addr)
}
