package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/errbridge/errbridge/catalog"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/encoding/protojson"
)

// Reasons the mix expects for the bodies that match no catalogued code.
const (
	reasonUnknownCode = "UNKNOWN_ERROR_CODE"
	reasonUnparseable = "UNPARSEABLE_BODY"
)

// mixSeed fixes the mix, so that every run sends the same messages.
const mixSeed = 20261126

// kind is one class of upstream response in the mix.
type kind string

// The classes of the mix.
const (
	kindRestKnown kind = "rest"       // a catalogued REST code in the envelope
	kindRestFlat  kind = "rest-flat"  // a catalogued REST code, flat shape
	kindRateLimit kind = "rate-limit" // a REST quota code
	kindOAuth     kind = "oauth"      // a catalogued OAuth code
	kindUnknown   kind = "unknown"    // a REST code errbridge does not know
	kindMalformed kind = "malformed"  // truncated JSON, HTML, empty, plain text
)

// mixWeights is the share of each class in the mix, in percent.
var mixWeights = []struct {
	kind    kind
	percent int
}{
	{kindRestKnown, 42},
	{kindRestFlat, 5},
	{kindRateLimit, 15},
	{kindOAuth, 15},
	{kindUnknown, 8},
	{kindMalformed, 15},
}

// localeWeights is the locale mix, in percent; "" asks for the server's
// default.
var localeWeights = []struct {
	tag     string
	percent int
}{
	{"", 30}, {"zh-CN", 35}, {"en-US", 20}, {"en-GB", 5}, {"zh-TW", 5}, {"zh", 5},
}

// sample is one request of the mix and the reason the engine must give it.
type sample struct {
	Kind   kind
	Reason string
	Req    *errbridgev1.TranslateRequest
}

// mix is the generated workload.
type mix struct {
	Samples []sample
}

// pools are the catalogue entries the mix draws codes from.
type pools struct {
	rest, rate, oauth []*catalog.Entry
}

func newPools(cat *catalog.Catalog) pools {
	var p pools
	for _, e := range cat.Entries() {
		if e.IsSuccess() {
			continue
		}
		switch e.Family {
		case errbridgev1.ApiFamily_API_FAMILY_REST:
			if e.Spec.GetQuota() != nil && e.Spec.GetRetry() == errbridgev1.RetryPolicy_RETRY_POLICY_NEXT_WINDOW {
				p.rate = append(p.rate, e)
			} else {
				p.rest = append(p.rest, e)
			}
		case errbridgev1.ApiFamily_API_FAMILY_OAUTH:
			p.oauth = append(p.oauth, e)
		}
	}
	return p
}

// newMix generates n requests from the catalogue, deterministically.
func newMix(cat *catalog.Catalog, n int) (*mix, error) {
	p := newPools(cat)
	if len(p.rest) == 0 || len(p.rate) == 0 || len(p.oauth) == 0 {
		return nil, fmt.Errorf("the catalogue lacks REST (%d), rate-limit (%d) or OAuth (%d) codes", len(p.rest), len(p.rate), len(p.oauth))
	}
	rng := rand.New(rand.NewPCG(mixSeed, mixSeed>>1))
	m := &mix{Samples: make([]sample, 0, n)}
	for i := range n {
		k := pickKind(i)
		s := sample{Kind: k}
		req := &errbridgev1.TranslateRequest{
			Locale: pickLocale(rng),
			Method: []string{"GET", "POST", "POST", "PUT", "DELETE"}[rng.IntN(5)],
		}
		trace := hexID(rng, 16)
		switch k {
		case kindRestKnown, kindRestFlat, kindRateLimit:
			pool := p.rest
			if k == kindRateLimit {
				pool = p.rate
			}
			e := pool[rng.IntN(len(pool))]
			s.Reason = e.Reason
			req.HttpStatus = upstreamStatus(e, rng)
			msg := jsonString(e.Spec.GetZhCn())
			if k == kindRestFlat {
				req.Body = fmt.Appendf(nil, `{"error_code":%d,"message":%s}`, e.Code, msg)
			} else {
				req.Body = fmt.Appendf(nil, `{"error_info":{"error_code":%d,"new_error_code":%d,"message":%s}}`, e.Code, 200_000_000+e.Code, msg)
			}
			req.Headers = restHeaders(rng, trace)
		case kindOAuth:
			e := p.oauth[rng.IntN(len(p.oauth))]
			s.Reason = e.Reason
			req.HttpStatus = []int32{400, 401, 403}[rng.IntN(3)]
			req.Body = fmt.Appendf(nil, `{"code":%d,"message":%s,"nonce":"%s"}`, e.Code, jsonString(e.Spec.GetEnUs()), hexID(rng, 8))
			if rng.IntN(3) == 0 {
				req.Family = errbridgev1.ApiFamily_API_FAMILY_OAUTH
			}
		case kindUnknown:
			s.Reason = reasonUnknownCode
			req.HttpStatus = []int32{400, 500, 503}[rng.IntN(3)]
			req.Body = fmt.Appendf(nil, `{"error_info":{"error_code":%d,"message":"未知错误 %d"}}`, unknownCode(cat, rng), rng.IntN(1000))
			req.Headers = restHeaders(rng, trace)
		case kindMalformed:
			s.Reason = reasonUnparseable
			req.HttpStatus, req.Body = malformedBody(p, rng)
			if rng.IntN(2) == 0 {
				req.Headers = map[string]string{"Gw-Trace-Id": trace}
			}
		}
		s.Req = req
		m.Samples = append(m.Samples, s)
	}
	return m, nil
}

// pickKind assigns the classes by their weights in cycles of 100, so that
// any 100 consecutive requests (and so every batch of 100) hold exactly the
// mix.
func pickKind(i int) kind {
	slot := i % 100
	for _, w := range mixWeights {
		if slot < w.percent {
			return w.kind
		}
		slot -= w.percent
	}
	return kindRestKnown
}

func pickLocale(rng *rand.Rand) string {
	x := rng.IntN(100)
	for _, w := range localeWeights {
		if x < w.percent {
			return w.tag
		}
		x -= w.percent
	}
	return ""
}

// upstreamStatus is the HTTP status upstream sends with a code: 5xx for
// server-side failures, 429 or 400 for rate limits, 400 otherwise.
func upstreamStatus(e *catalog.Entry, rng *rand.Rand) int32 {
	switch code.Code(e.Spec.GetGrpcCode()) {
	case code.Code_INTERNAL, code.Code_UNKNOWN, code.Code_UNAVAILABLE, code.Code_DEADLINE_EXCEEDED:
		return []int32{500, 502, 503}[rng.IntN(3)]
	case code.Code_RESOURCE_EXHAUSTED:
		return []int32{400, 429}[rng.IntN(2)]
	case code.Code_UNAUTHENTICATED:
		return 401
	case code.Code_PERMISSION_DENIED:
		return 403
	case code.Code_NOT_FOUND:
		return 404
	}
	return 400
}

// restHeaders are response headers a caller forwards: the trace id (in
// either spelling) and some it copies along.
func restHeaders(rng *rand.Rand, trace string) map[string]string {
	h := map[string]string{"Content-Type": "application/json;charset=utf-8"}
	switch rng.IntN(4) {
	case 0:
		h["x-tc-trace"] = trace
	case 1:
		h["Gw-Trace-Id"] = trace
	default:
		h["X-TC-Trace"] = trace
	}
	if rng.IntN(2) == 0 {
		h["Date"] = "Thu, 26 Nov 2026 02:00:00 GMT"
	}
	return h
}

// unknownCode is a REST code that is not catalogued.
func unknownCode(cat *catalog.Catalog, rng *rand.Rand) int64 {
	for {
		n := int64(300000 + rng.IntN(600000))
		if _, ok := cat.Lookup(errbridgev1.ApiFamily_API_FAMILY_REST, n); !ok {
			return n
		}
	}
}

// malformedBody is one of the bodies gateways and broken proxies send.
func malformedBody(p pools, rng *rand.Rand) (int32, []byte) {
	switch rng.IntN(5) {
	case 0: // a REST body cut short
		e := p.rest[rng.IntN(len(p.rest))]
		full := fmt.Sprintf(`{"error_info":{"error_code":%d,"new_error_code":%d,"message":%s}}`, e.Code, 200_000_000+e.Code, jsonString(e.Spec.GetZhCn()))
		return 500, []byte(full[:1+rng.IntN(len(full)-2)])
	case 1:
		st := []int32{502, 503, 504}[rng.IntN(3)]
		return st, fmt.Appendf(nil, "<html>\r\n<head><title>%d Bad Gateway</title></head>\r\n<body>\r\n<center><h1>%d Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", st, st)
	case 2:
		return []int32{500, 502, 504}[rng.IntN(3)], nil
	case 3:
		return 503, []byte("upstream connect error or disconnect/reset before headers. reset reason: connection termination")
	default:
		return 400, fmt.Appendf(nil, `{"message":"request failed","request_id":"%s"}`, hexID(rng, 12))
	}
}

// hexID is n random bytes in hex.
func hexID(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for range n {
		x := rng.IntN(256)
		b.WriteByte(digits[x>>4])
		b.WriteByte(digits[x&15])
	}
	return b.String()
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return string(b)
}

// translateData is the ghz data file of Translate: a JSON array of
// TranslateRequest messages in the proto JSON mapping (bodies in base64),
// which ghz sends in turn.
func (m *mix) translateData() ([]byte, error) {
	msgs := make([]json.RawMessage, len(m.Samples))
	for i, s := range m.Samples {
		b, err := protojson.Marshal(s.Req)
		if err != nil {
			return nil, err
		}
		msgs[i] = b
	}
	return json.Marshal(msgs)
}

// batches groups the mix into batches of size requests each, every sample
// in exactly one batch when size divides the mix.
func (m *mix) batches(size int) []*errbridgev1.TranslateBatchRequest {
	n := max(1, len(m.Samples)/size)
	out := make([]*errbridgev1.TranslateBatchRequest, n)
	for b := range n {
		req := &errbridgev1.TranslateBatchRequest{Requests: make([]*errbridgev1.TranslateRequest, size)}
		for j := range size {
			req.Requests[j] = m.Samples[(b*size+j)%len(m.Samples)].Req
		}
		out[b] = req
	}
	return out
}

// batchData is the ghz data file of TranslateBatch: the mix in batches of
// size requests.
func (m *mix) batchData(size int) ([]byte, error) {
	bs := m.batches(size)
	msgs := make([]json.RawMessage, len(bs))
	for i, b := range bs {
		raw, err := protojson.Marshal(b)
		if err != nil {
			return nil, err
		}
		msgs[i] = raw
	}
	return json.Marshal(msgs)
}

// describe summarises the mix: the share of each class and locale.
func (m *mix) describe() string {
	kinds := make(map[kind]int)
	locales := make(map[string]int)
	for _, s := range m.Samples {
		kinds[s.Kind]++
		locales[s.Req.GetLocale()]++
	}
	var parts []string
	for _, w := range mixWeights {
		parts = append(parts, fmt.Sprintf("%s %d%%", w.kind, 100*kinds[w.kind]/len(m.Samples)))
	}
	var ls []string
	for _, w := range localeWeights {
		tag := w.tag
		if tag == "" {
			tag = "default"
		}
		ls = append(ls, fmt.Sprintf("%s %d%%", tag, 100*locales[w.tag]/len(m.Samples)))
	}
	return strings.Join(parts, ", ") + "; locales " + strings.Join(ls, ", ")
}
