package translate

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/internal/wire"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var (
	defaultOnce       sync.Once
	defaultTranslator *Translator
)

// Default returns a translator with the default configuration.
func Default() *Translator {
	defaultOnce.Do(func() {
		t, err := New()
		if err != nil {
			panic(err) // the catalogue tests rule this out for every build
		}
		defaultTranslator = t
	})
	return defaultTranslator
}

// Translate translates one upstream response with the default translator and
// returns its canonical Status. opts may be nil.
func Translate(httpStatus int, body []byte, opts *Options) *status.Status {
	return Default().Translate(httpStatus, body, opts).Status()
}

// noOptions stands in for nil options.
var noOptions Options

// Translate translates one upstream response: its HTTP status, its body
// exactly as received, and what the caller knows of the request (nil for
// the defaults). It never panics and never returns nil.
func (t *Translator) Translate(httpStatus int, data []byte, opts *Options) *Result {
	return t.TranslateIn(nil, httpStatus, data, opts)
}

// TranslateIn is [Translator.Translate], with the Result allocated in a
// (nil allocates it alone, as Translate does): a batch translated into one
// [Arena] allocates little.
func (t *Translator) TranslateIn(a *Arena, httpStatus int, data []byte, opts *Options) *Result {
	if opts == nil {
		opts = &noOptions
	}
	r := a.result()
	r.domain = t.domain
	var b body
	scanBody(data, &b)
	f := readFacts(&b, opts.Family)
	r.family = f.family

	var c *compiled
	switch {
	case f.code.present():
		n, ok := integer(b.data, f.code)
		r.errorCode, r.hasCode = n, ok
		if ok {
			c = t.families[f.family][n]
		}
		if c != nil && c.entry.IsSuccess() {
			if httpStatus >= 200 && httpStatus < 300 {
				return t.success(r, c)
			}
			c = nil // code 0 in an error response: inconsistent
		}
		if c == nil {
			c = t.unknown
		}
	case httpStatus >= 200 && httpStatus < 300:
		c = t.families[f.family][0]
		if c == nil {
			c = t.families[errbridgev1.ApiFamily_API_FAMILY_REST][0]
		}
		return t.success(r, c)
	default:
		c = t.badBody
	}
	if f.newCode.present() {
		r.newErrorCode, r.hasNewCode = integer(b.data, f.newCode)
	}
	r.entry = c.entry
	r.st.Code = int32(codeFor(c, httpStatus))
	r.st.Message = c.entry.Spec.GetEnUs()
	t.buildDetails(a, r, c, &b, &f, httpStatus, opts)
	return r
}

func (t *Translator) success(r *Result, c *compiled) *Result {
	r.entry = c.entry
	r.st.Code = int32(codes.OK)
	return r
}

// facts are the values the engine reads from a scanned body, once the
// family is known.
type facts struct {
	family                 errbridgev1.ApiFamily
	code, newCode, message span
	nonce                  span
}

// readFacts picks the family and the fields to read from a scanned body. The
// REST envelope wins over the flat REST fields, which win over OAuth's
// "code"; a family hint only changes which table the code is looked up in.
func readFacts(b *body, hint errbridgev1.ApiFamily) facts {
	var f facts
	if b.failure != parsedOK {
		f.family = hint
		return f
	}
	rest := b.top
	if b.hasEnvelope {
		if b.envelope.errorCode.kind != 0 {
			rest.errorCode = b.envelope.errorCode
		}
		if b.envelope.newErrorCode.kind != 0 {
			rest.newErrorCode = b.envelope.newErrorCode
		}
		if b.envelope.message.kind != 0 {
			rest.message = b.envelope.message
		}
	}
	restCode, oauthCode := rest.errorCode.present(), b.code.present()
	family := hint
	if family != errbridgev1.ApiFamily_API_FAMILY_REST && family != errbridgev1.ApiFamily_API_FAMILY_OAUTH {
		switch {
		case restCode || (b.hasEnvelope && !oauthCode):
			family = errbridgev1.ApiFamily_API_FAMILY_REST
		case oauthCode:
			family = errbridgev1.ApiFamily_API_FAMILY_OAUTH
		default:
			family = errbridgev1.ApiFamily_API_FAMILY_UNSPECIFIED
		}
	}
	f.family = family
	f.message = rest.message
	f.newCode = rest.newErrorCode
	f.nonce = b.nonce
	switch {
	case family == errbridgev1.ApiFamily_API_FAMILY_OAUTH && oauthCode:
		f.code = b.code
	case restCode:
		f.code = rest.errorCode
	case oauthCode:
		f.code = b.code
	}
	if f.code.kind == 'l' {
		f.code = span{}
	}
	return f
}

// Metadata keys of ErrorInfo. A key once shipped is never removed.
const (
	keyBodyExcerpt     = "bodyExcerpt"
	keyBodySize        = "bodySize"
	keyErrorCode       = "errorCode"
	keyHTTPStatus      = "httpStatus"
	keyNewErrorCode    = "newErrorCode"
	keyNonce           = "nonce"
	keyParseError      = "parseError"
	keyUpstreamMessage = "upstreamMessage"
)

// buildDetails encodes the details of an error Status, kept in a.
func (t *Translator) buildDetails(a *Arena, r *Result, c *compiled, b *body, f *facts, httpStatus int, opts *Options) {
	var (
		store [2048]byte
		d     details
	)
	buf := store[:0]
	fallback := c.entry.Family == errbridgev1.ApiFamily_API_FAMILY_FALLBACK

	// ErrorInfo: reason, domain, then metadata in sorted key order.
	buf = append(buf, c.errorInfoHead...)
	var scratch [maxMessageBytes + 8]byte
	if fallback && c == t.badBody {
		buf = appendMapEntry(buf, keyBodyExcerpt, appendValid(scratch[:0], b.data[:min(len(b.data), maxExcerptBytes)], maxExcerptBytes))
		buf = appendMapEntry(buf, keyBodySize, strconv.AppendInt(scratch[:0], int64(len(b.data)), 10))
	}
	if f.code.present() {
		buf = appendMapEntry(buf, keyErrorCode, appendCode(scratch[:0], b.data, f.code, r.errorCode, r.hasCode))
	}
	buf = appendMapEntry(buf, keyHTTPStatus, strconv.AppendInt(scratch[:0], int64(httpStatus), 10))
	if f.newCode.present() {
		buf = appendMapEntry(buf, keyNewErrorCode, appendCode(scratch[:0], b.data, f.newCode, r.newErrorCode, r.hasNewCode))
	}
	// The nonce's printable characters, bounded after the others are
	// dropped, once for its metadata entry and the RequestInfo.
	var nonceStore [maxTraceBytes]byte
	var nonce []byte
	if f.nonce.present() {
		decoded := appendText(scratch[:0], b.data, f.nonce, maxMessageBytes)
		nonce = appendPrintable(nonceStore[:0], unsafe.String(unsafe.SliceData(decoded), len(decoded)), maxTraceBytes)
		buf = appendMapEntry(buf, keyNonce, nonce)
	}
	if c == t.badBody {
		buf = appendMapEntry(buf, keyParseError, appendParseError(scratch[:0], b, opts))
	}
	if f.message.present() {
		buf = appendMapEntry(buf, keyUpstreamMessage, appendText(scratch[:0], b.data, f.message, maxMessageBytes))
	}
	d.mark(typeErrorInfo, buf)

	// RetryInfo, where the policy allows a retry.
	if delay, ok := t.retryDelay(c, httpStatus, opts); ok {
		r.retryable, r.retryDelay = true, delay
		if c.fixedRetry != nil {
			d.share(typeRetryInfo, c.fixedRetry, buf)
		} else {
			buf = appendDuration(buf, 1, int64(delay/1e9), int32(delay%1e9))
			d.mark(typeRetryInfo, buf)
		}
	}
	if c.quota != nil {
		d.share(typeQuotaFailure, c.quota, buf)
	}
	var id []byte
	if h := opts.traceID(); h != "" {
		id = appendPrintable(scratch[:0], h, maxTraceBytes)
	} else {
		id = nonce
	}
	if len(id) > 0 {
		buf = wire.AppendBytesField(buf, 1, id)
		d.mark(typeRequestInfo, buf)
	}
	if c.help != nil {
		d.share(typeHelp, c.help, buf)
	}
	l := t.locale
	if opts.Locale != "" {
		if pl, ok := parseLocale(opts.Locale); ok {
			l = pl
		}
	}
	r.locale, r.localized = l, c.text[l]
	d.share(typeLocalizedMessage, c.localized[l], buf)
	r.attach(a, &d, buf)
}

// retryDelay applies an entry's retry policy to one response.
func (t *Translator) retryDelay(c *compiled, httpStatus int, opts *Options) (delay time.Duration, ok bool) {
	s := c.entry.Spec
	switch s.GetRetry() {
	case errbridgev1.RetryPolicy_RETRY_POLICY_FIXED_DELAY:
		return s.GetRetryDelay().AsDuration(), true
	case errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW:
		return untilNextWindow(t.now(), c.window, t.quotaLoc), true
	case errbridgev1.RetryPolicy_RETRY_POLICY_IF_IDEMPOTENT:
		if !opts.idempotent() {
			return 0, false
		}
		if s.GetCodeFromHttpStatus() && !retryableStatus(httpStatus) {
			return 0, false // a request error stays one, however often it is sent
		}
		return s.GetRetryDelay().AsDuration(), true
	}
	return 0, false
}

// appendCode appends a code as metadata: its decimal form when numeric, else
// the raw value as sent, bounded.
func appendCode(dst, data []byte, sp span, n int64, numeric bool) []byte {
	if numeric {
		return strconv.AppendInt(dst, n, 10)
	}
	if sp.kind == 's' {
		return appendText(dst, data, sp, maxRawCodeBytes)
	}
	return appendValid(dst, data[sp.start:sp.end], maxRawCodeBytes)
}

// appendParseError says why a body yielded no error code; an empty body
// answering a HEAD request is said to be expected.
func appendParseError(dst []byte, b *body, opts *Options) []byte {
	switch b.failure {
	case parseEmpty:
		if strings.EqualFold(opts.Method, "HEAD") {
			return append(dst, "empty body: a response to HEAD carries none"...)
		}
		return append(dst, "empty body"...)
	case parseTooDeep:
		dst = append(dst, "JSON nested deeper than "...)
		dst = strconv.AppendInt(dst, maxDepth, 10)
		dst = append(dst, " levels at byte "...)
		return strconv.AppendInt(dst, int64(b.failureAt), 10)
	case parseInvalid:
		if b.failureAt >= len(b.data) {
			return append(dst, "invalid JSON: unexpected end of body (truncated?)"...)
		}
		dst = append(dst, "invalid JSON at byte "...)
		return strconv.AppendInt(dst, int64(b.failureAt), 10)
	}
	return append(dst, "JSON without an error code"...)
}
