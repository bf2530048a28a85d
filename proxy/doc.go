// Package proxy is errbridge's egress proxy: an [http.Handler] that forwards
// every request to one configured upstream (the Tencent Meeting open API) and
// answers each failed response with the canonical google.rpc.Status, so that
// a service gets translated errors by pointing its base URL at the proxy,
// with no code of its own.
//
// It is built on [httputil.ReverseProxy]: Rewrite pins every request to the
// upstream, FlushInterval -1 streams bodies as they arrive, ModifyResponse
// inspects responses and ErrorHandler answers for an upstream that failed.
//
//   - A success passes through untouched and is never buffered whole. A 2xx
//     JSON body is inspected only when it fits a bounded peek
//     ([DefaultPeekBytes]): a complete body with a non-zero error code (OAuth
//     code ≠ 0 at HTTP 200) is an error; a larger one streams through. A
//     body of unknown length streams on as soon as its first bytes show it
//     is not one error object (see objectScan), not once it has ended.
//   - Any other non-2xx response (304 Not Modified aside) is translated by the
//     engine, package [github.com/errbridge/errbridge/translate], and gets
//     the headers [HeaderCode], [HeaderReason], [HeaderStatusBin] and, exactly
//     when the Status carries a google.rpc.RetryInfo, Retry-After in whole
//     seconds rounded up. Its body follows the [ErrorBody] mode, set per
//     proxy ([WithErrorBody]) and per request ([HeaderErrorBody]).
//   - An upstream that cannot be reached, times out or fails TLS gets the
//     same headers with 502 or 504 and a fallback reason of the catalogue
//     (UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_TLS_FAILED); a retry
//     is offered only for an idempotent request, or one that provably never
//     reached the upstream.
//
// Safety: only the upstream is ever reached (CONNECT and absolute-form
// targets naming another host are refused, Host is rewritten), hop-by-hop
// headers are dropped per RFC 9110, request bodies and buffered error bodies
// are bounded, and credentials (X-TC-Key, X-TC-Signature, AccessToken,
// OpenId, cookies) are forwarded but never logged nor used as a label. Logs
// hold one info line per translated error (method, path without query,
// code, reason, latency), never a header or a body, written with the
// request's count once the answer has gone to the caller.
package proxy
