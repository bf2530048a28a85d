package proxy

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

// modifyResponse passes successes through and translates errors.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	x := exchangeOf(resp.Request.Context())
	for _, h := range ownHeaders {
		delete(resp.Header, h) // canonical already: no need for Del's work
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return p.inspectSuccess(resp, x)
	case resp.StatusCode < 300 || resp.StatusCode == http.StatusNotModified:
		p.metrics.count(codes.OK, "") // informational, or a conditional request's success
		return nil
	}
	return p.translateError(resp, x)
}

// inspectSuccess looks for an error code in a 2xx JSON body that fits the
// peek, and passes every other body through untouched.
func (p *Proxy) inspectSuccess(resp *http.Response, x *exchange) error {
	if resp.ContentLength == 0 || resp.ContentLength > int64(p.cfg.peekBytes) || resp.Request.Method == http.MethodHead ||
		!isJSON(resp.Header.Get("Content-Type")) {
		p.metrics.count(codes.OK, "")
		return nil
	}
	encoding := resp.Header.Get("Content-Encoding")
	var scan *objectScan
	if resp.ContentLength < 0 && identity(encoding) {
		// A body of unknown length may be a stream: judged as it arrives.
		scan = &objectScan{}
	}
	peek, complete, err := readUpTo(resp.Body, p.cfg.peekBytes, resp.ContentLength, scan)
	if err != nil {
		return upstreamBodyError{err}
	}
	var object *translate.Result // the translation of the body's first object, while it holds for the body
	if !complete && scan != nil && scan.verdict == objectWhole {
		// One object has arrived and the body has not ended: an error
		// envelope ends here, so read on only if the object is one.
		if r := x.translate(p.translator.Load(), resp, peek); r.Code() != codes.OK {
			rest, whole, err := readUpTo(resp.Body, p.cfg.peekBytes-len(peek), -1, nil)
			peek, complete = append(peek, rest...), whole
			if err != nil {
				return upstreamBodyError{err}
			}
			if whole && r.BodyRead() && jsonSpace(rest) {
				object = r // white space after the object changes nothing
			}
		}
	}
	if !complete { // longer than the peek, or a stream: pass it on, uninspected
		resp.Body = &prefixedBody{prefix: bytes.NewReader(peek), rest: resp.Body}
		p.metrics.count(codes.OK, "")
		return nil
	}
	_ = resp.Body.Close()
	resp.Body = newBytesBody(peek)
	body, ok := decoded(encoding, peek, p.cfg.peekBytes)
	if !ok {
		p.metrics.count(codes.OK, "")
		return nil
	}
	r := object
	if r == nil {
		r = x.translate(p.translator.Load(), resp, body)
	}
	if r.Code() == codes.OK {
		p.metrics.count(codes.OK, "")
		return nil
	}
	p.answer(resp, x, r, body, false)
	return nil
}

// jsonSpace reports whether b is only JSON white space.
func jsonSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// translateError reads an error body up to the bound, translates it and
// rewrites the response.
func (p *Proxy) translateError(resp *http.Response, x *exchange) error {
	raw, complete, err := readUpTo(resp.Body, p.cfg.maxErrorBodyBytes, resp.ContentLength, nil)
	if err != nil {
		return upstreamBodyError{err}
	}
	body, ok := decoded(resp.Header.Get("Content-Encoding"), raw, p.cfg.maxErrorBodyBytes)
	if !ok || !complete {
		body = raw // still compressed, or cut: the engine reports it unparseable
	}
	r := x.translate(p.translator.Load(), resp, body)
	if complete {
		_ = resp.Body.Close()
		resp.Body = newBytesBody(raw)
	} else {
		resp.Body = &prefixedBody{prefix: bytes.NewReader(raw), rest: resp.Body}
	}
	p.answer(resp, x, r, body, !complete)
	return nil
}

// answer sets the proxy's headers on a translated error and its body in the
// exchange's mode. body is what the engine read (decoded); oversized says the
// upstream's body was longer than the bound.
func (p *Proxy) answer(resp *http.Response, x *exchange, r *translate.Result, body []byte, oversized bool) {
	setStatusHeaders(resp.Header, r)
	upstreamStatus := resp.StatusCode
	status := upstreamStatus
	var out []byte
	switch x.mode {
	case ErrorBodyGoogle:
		status = googleStatusFor(r)
		if oversized {
			status = http.StatusBadGateway
		}
		out = googleBody(r, status)
	case ErrorBodySDK:
		if status < 300 || oversized {
			status = googleStatusFor(r)
		}
		if oversized {
			status = http.StatusBadGateway
		}
		out = sdkBody(body, r, status)
	}
	if out != nil {
		if oversized {
			_ = resp.Body.Close()
		}
		replaceBody(resp, status, out)
	}
	x.translated, x.upstreamStatus = r, upstreamStatus
}

// recordTranslated counts and logs the translated error of x, once its
// answer has been written: the log line and the counters are off the
// caller's path, and the latency logged is the whole exchange's.
func (p *Proxy) recordTranslated(req *http.Request, x *exchange) {
	r := x.translated
	p.metrics.count(r.Code(), r.Reason())
	p.unknown.ObserveResult(r, x.upstreamStatus)
	p.logTranslated(req, x, r, x.upstreamStatus)
}

// googleStatusFor is the HTTP status of a translated error in the google
// mode: the canonical status of its code, except that an UNAVAILABLE error
// without a RetryInfo answers 502 rather than 503, because ordinary retry
// middleware retries any 503 and the Status says a retry is not safe.
func googleStatusFor(r *translate.Result) int {
	s := translate.HTTPStatusForCode(r.Code())
	if _, retry := r.RetryDelay(); s == http.StatusServiceUnavailable && !retry {
		s = http.StatusBadGateway
	}
	return s
}

// setStatusHeaders sets X-Errbridge-Code, X-Errbridge-Reason,
// X-Errbridge-Status-Bin and, exactly when there is a RetryInfo,
// Retry-After.
//
// The names are canonical, so the map is written directly.
func setStatusHeaders(h http.Header, r *translate.Result) {
	if c := r.Code(); int(c) < len(codeHeaders) {
		h[HeaderCode] = codeHeaders[c]
	} else {
		h[HeaderCode] = []string{codeName(c)}
	}
	h[HeaderReason] = []string{r.Reason()}
	if v, ok := encodeStatus(r); ok {
		h[HeaderStatusBin] = []string{v}
	}
	if d, ok := r.RetryDelay(); ok {
		h[headerRetryAfter] = []string{strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)}
	} else {
		delete(h, headerRetryAfter)
	}
}

// codeHeaders are the X-Errbridge-Code values of the codes, shared: an
// http.Header's values are only read once set (ReverseProxy copies them).
var codeHeaders = func() (v [17][]string) {
	for c := range v {
		v[c] = []string{code.Code(c).String()}
	}
	return v
}()

// codeName is the google.rpc.Code name of c, from codeHeaders for the
// codes there are: the enum's String looks the name up in its descriptor
// (about 0.9 µs a call in the proxy's profile).
func codeName(c codes.Code) string {
	if int(c) < len(codeHeaders) {
		return codeHeaders[c][0]
	}
	return code.Code(c).String()
}

// statusBuffers hold a Status while it is encoded for its header.
var statusBuffers = sync.Pool{New: func() any { b := make([]byte, 0, translate.MaxStatusBytes); return &b }}

// encodeStatus is the Status of r serialized, in standard padded base64:
// one allocation, the string itself.
func encodeStatus(r *translate.Result) (string, bool) {
	bp := statusBuffers.Get().(*[]byte)
	defer statusBuffers.Put(bp)
	bin, ok := translate.AppendStatus((*bp)[:0], r.Proto())
	if !ok {
		var err error
		if bin, err = (proto.MarshalOptions{Deterministic: true}).MarshalAppend((*bp)[:0], r.Proto()); err != nil {
			return "", false
		}
	}
	*bp = bin[:0]
	out := make([]byte, base64.StdEncoding.EncodedLen(len(bin)))
	base64.StdEncoding.Encode(out, bin)
	return unsafe.String(unsafe.SliceData(out), len(out)), true // out is never written again
}

// bodyHeaders describe a body the proxy replaces.
var bodyHeaders = [...]string{"Content-Encoding", "Content-Length", "Content-Range", "Content-Md5", "Etag", "Last-Modified", "Digest", "Content-Digest"}

// replaceBody gives resp a JSON body of the proxy's own and status.
func replaceBody(resp *http.Response, status int, body []byte) {
	for _, h := range bodyHeaders {
		resp.Header.Del(h)
	}
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.StatusCode, resp.Status = status, ""
	resp.ContentLength = int64(len(body))
	resp.TransferEncoding = nil
	resp.Trailer = nil // the upstream's trailers describe its body
	resp.Body = newBytesBody(body)
}

// logTranslated logs one translated error: method, path without query,
// code, reason, statuses and latency; never a header or a body.
//
// It hands the record to the logger's handler itself, without the caller's
// program counter that Logger.LogAttrs takes (runtime.Callers was a fifth
// of the line's cost, and the line's source is always here), and logs the
// latency as whole microseconds: slog's JSON handler writes a float
// through encoding/json.
func (p *Proxy) logTranslated(req *http.Request, x *exchange, r *translate.Result, upstreamStatus int, extra ...slog.Attr) {
	ctx := req.Context()
	h := p.logger.Handler()
	if !h.Enabled(ctx, slog.LevelInfo) {
		return
	}
	now := time.Now()
	rec := slog.NewRecord(now, slog.LevelInfo, "translated upstream error", 0)
	rec.AddAttrs(
		slog.String("method", x.method),
		slog.String("path", boundedPath(x.path)),
		slog.String("code", codeName(r.Code())),
		slog.String("reason", r.Reason()),
		slog.Int("upstream_status", upstreamStatus),
		slog.Int64("latency_us", now.Sub(x.start).Microseconds()),
	)
	rec.AddAttrs(extra...)
	_ = h.Handle(ctx, rec) // a handler's write error has nowhere better to go
}

// maxLoggedPath bounds the path in a log line.
const maxLoggedPath = 256

func boundedPath(path string) string {
	if len(path) <= maxLoggedPath {
		return path
	}
	return strings.ToValidUTF8(path[:maxLoggedPath], "") + "…"
}

// isJSON reports whether a Content-Type names JSON, or is absent.
// Only the media type counts, compared case-insensitively, without
// mime.ParseMediaType's allocations on every success: its parameters do not
// matter here.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	for _, t := range [...]string{"application/json", "text/json", "text/plain"} {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	const suffix = "+json"
	return len(mt) > len(suffix) && strings.EqualFold(mt[len(mt)-len(suffix):], suffix)
}

// readUpTo reads body until its end or until it has more than limit bytes
// (declared is the body's length, or -1), and reports whether it read the
// whole body. An incomplete read returns every byte read, limit+1 of them,
// or fewer when scan, if not nil, has come to a verdict on what arrived.
func readUpTo(body io.Reader, limit int, declared int64, scan *objectScan) ([]byte, bool, error) {
	initial := 4 << 10
	if declared >= 0 && declared < int64(limit) {
		initial = int(declared) + 1 // room to see the end
	}
	buf := make([]byte, 0, min(initial, limit+1))
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), limit+1-len(buf)))
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case len(buf) > limit:
			return buf, false, nil
		case errors.Is(err, io.EOF):
			return buf, true, nil
		case err != nil:
			return buf, false, err
		case scan != nil && scan.feed(buf) != objectUndecided:
			return buf, false, nil
		}
	}
}

// coding is a Content-Encoding's coding, in lower case.
func coding(encoding string) string { return strings.ToLower(strings.TrimSpace(encoding)) }

// identity reports whether a Content-Encoding leaves the body as it is.
func identity(encoding string) bool {
	c := coding(encoding)
	return c == "" || c == "identity"
}

// gzipped reports whether a Content-Encoding is gzip's.
func gzipped(encoding string) bool {
	c := coding(encoding)
	return c == "gzip" || c == "x-gzip"
}

// decodable reports whether [decoded] reads a body of this Content-Encoding.
func decodable(encoding string) bool { return identity(encoding) || gzipped(encoding) }

// decoded returns body without its Content-Encoding (identity or gzip, at
// most limit bytes), or false.
func decoded(encoding string, body []byte, limit int) ([]byte, bool) {
	if identity(encoding) {
		return body, true
	}
	if !gzipped(encoding) {
		return nil, false
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	out, complete, err := readUpTo(zr, limit, -1, nil)
	if err != nil || !complete {
		return nil, false
	}
	return out, true
}

// bytesBody is a response body the proxy holds whole: one allocation where
// io.NopCloser(bytes.NewReader(b)) takes two.
type bytesBody struct{ bytes.Reader }

func newBytesBody(b []byte) *bytesBody {
	body := &bytesBody{}
	body.Reset(b)
	return body
}

// Close implements io.Closer; there is nothing to release.
func (*bytesBody) Close() error { return nil }

// prefixedBody is a response body of which the proxy has read a prefix.
type prefixedBody struct {
	prefix *bytes.Reader
	rest   io.ReadCloser
}

func (b *prefixedBody) Read(p []byte) (int, error) {
	if b.prefix.Len() > 0 {
		return b.prefix.Read(p)
	}
	return b.rest.Read(p)
}

func (b *prefixedBody) Close() error { return b.rest.Close() }

// upstreamBodyError is a failure to read the upstream's body before the
// proxy answered: the connection broke mid-body.
type upstreamBodyError struct{ err error }

func (e upstreamBodyError) Error() string { return "reading the upstream body: " + e.err.Error() }
func (e upstreamBodyError) Unwrap() error { return e.err }
