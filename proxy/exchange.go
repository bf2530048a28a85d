package proxy

import (
	"context"
	"net/http"
	"net/textproto"
	"sync"
	"time"

	"github.com/errbridge/errbridge/translate"
)

// exchange is what the proxy keeps of one request while it is answered.
type exchange struct {
	start  time.Time
	mode   ErrorBody
	method string
	path   string
	locale string

	// translated is the translation of the upstream's error, counted and
	// logged once the answer has been written (see [Proxy.ServeHTTP]), and
	// upstreamStatus the status the upstream answered with.
	translated     *translate.Result
	upstreamStatus int
}

// exchangeKey is the context key of a request's exchange.
type exchangeKey struct{}

// exchangeOf returns the exchange of a request the proxy is answering.
func exchangeOf(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	if x == nil {
		x = &exchange{start: time.Now()}
	}
	return x
}

// traceHeaders hold a response's trace headers while the engine reads
// them; it keeps nothing of them once Translate returns.
var traceHeaders = sync.Pool{New: func() any { return make(map[string]string, 2) }}

// traceNames are the trace headers, as the engine names them and in their
// canonical form.
var traceNames = [...][2]string{
	{translate.HeaderTrace, textproto.CanonicalMIMEHeaderKey(translate.HeaderTrace)},
	{translate.HeaderGwTrace, textproto.CanonicalMIMEHeaderKey(translate.HeaderGwTrace)},
}

// translate runs the engine on a response to the exchange, with the
// exchange's method and locale and the response's trace headers.
func (x *exchange) translate(t *translate.Translator, resp *http.Response, body []byte) *translate.Result {
	o := translate.Options{Method: x.method, Locale: x.locale}
	for _, name := range traceNames {
		if v := resp.Header[name[1]]; len(v) > 0 && v[0] != "" { // what Get returns
			if o.Headers == nil {
				o.Headers = traceHeaders.Get().(map[string]string)
			}
			o.Headers[name[0]] = v[0]
		}
	}
	r := t.Translate(resp.StatusCode, body, &o)
	if o.Headers != nil {
		clear(o.Headers)
		traceHeaders.Put(o.Headers)
	}
	return r
}
