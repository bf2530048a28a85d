package proxy

import (
	"context"
	"net/http"
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

// options are the engine's options for a response to the exchange.
func (x *exchange) options(resp *http.Response) *translate.Options {
	o := &translate.Options{Method: x.method, Locale: x.locale}
	for _, name := range [...]string{translate.HeaderTrace, translate.HeaderGwTrace} {
		if v := resp.Header.Get(name); v != "" {
			if o.Headers == nil {
				o.Headers = make(map[string]string, 2)
			}
			o.Headers[name] = v
		}
	}
	return o
}
