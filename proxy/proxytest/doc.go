// Package proxytest is a fake Tencent Meeting upstream on loopback, for tests
// and benchmarks of the egress proxy (package
// [github.com/errbridge/errbridge/proxy]). It answers with any code in the
// shape of its family and with every odd shape the real upstream has been
// seen to send: pretty-printed bodies, an HTML 502, an empty 200, an OAuth
// code at HTTP 200, 429 and 403 without a body, slow and chunked successes,
// large bodies, and connections reset mid-body. It knows nothing of the
// catalogue: tests walk the catalogue and ask it for each code.
package proxytest
