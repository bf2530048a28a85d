package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// maxVariants bounds the encodings of known requests learnt while serving.
const maxVariants = 1 << 16

// answers maps the encoded requests of one method's data file to their
// encoded responses, computed by errbridge's service before serving.
type answers struct {
	newRequest func() proto.Message
	byRequest  map[string][]byte // deterministic encoding → response; read-only
	// byDigest maps the digest of each request to its response, for
	// requests whose encodings differ too much to be remembered (see
	// [batchAnswers]); nil otherwise.
	byDigest map[digest][]byte
	// A client may encode a request differently (map entries in another
	// order); such an encoding is decoded once, matched, and remembered.
	mu       sync.RWMutex
	variants map[string][]byte
}

// newAnswers computes the answers of a ghz data file (a JSON array of
// requests, each a newRequest message) with answer.
func newAnswers(data []byte, newRequest func() proto.Message, answer func(proto.Message) (proto.Message, error)) (*answers, error) {
	var msgs []json.RawMessage
	if err := json.Unmarshal(data, &msgs); err != nil {
		return nil, fmt.Errorf("the data file is not a JSON array: %w", err)
	}
	a := &answers{newRequest: newRequest, byRequest: make(map[string][]byte, len(msgs)), variants: make(map[string][]byte)}
	for i, m := range msgs {
		req := newRequest()
		if err := protojson.Unmarshal(m, req); err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
		resp, err := answer(req)
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
		key, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
		if err != nil {
			return nil, err
		}
		out, err := proto.Marshal(resp)
		if err != nil {
			return nil, err
		}
		a.byRequest[string(key)] = out
	}
	return a, nil
}

func (a *answers) len() int { return len(a.byRequest) }

// digest is what identifies an encoded request however its clients order
// map entries: its length and the sum of its bytes, both unchanged by any
// reordering of the bytes.
type digest struct{ n, sum uint64 }

func digestOf(b []byte) digest {
	d := digest{n: uint64(len(b))}
	for _, c := range b {
		d.sum += uint64(c)
	}
	return d
}

// translateAnswers computes the answers of a data file of TranslateRequest
// messages with svc.
func translateAnswers(data []byte, svc *service.Service) (*answers, error) {
	return newAnswers(data, func() proto.Message { return new(errbridgev1.TranslateRequest) },
		func(m proto.Message) (proto.Message, error) {
			return svc.Translate(context.Background(), m.(*errbridgev1.TranslateRequest))
		})
}

// batchAnswers computes the answers of a data file of TranslateBatchRequest
// messages with svc. A client that writes map entries in a random order
// (ghz does) sends a batch of requests with headers in so many encodings
// that remembering them does not help, and decoding and re-encoding each
// one would cost the baseline more than errbridge spends. The answers look
// batches up by their [digest] instead, and fail to build when two batches
// of the file share one. A batch not in the file is answered NOT_FOUND
// unless it has the digest of one that is.
func batchAnswers(data []byte, svc *service.Service) (*answers, error) {
	a, err := newAnswers(data, func() proto.Message { return new(errbridgev1.TranslateBatchRequest) },
		func(m proto.Message) (proto.Message, error) {
			return svc.TranslateBatch(context.Background(), m.(*errbridgev1.TranslateBatchRequest))
		})
	if err != nil {
		return nil, err
	}
	a.byDigest = make(map[digest][]byte, len(a.byRequest))
	for req, out := range a.byRequest {
		d := digestOf([]byte(req))
		if _, dup := a.byDigest[d]; dup {
			return nil, fmt.Errorf("two requests of the file have the same length and byte sum (%d, %d)", d.n, d.sum)
		}
		a.byDigest[d] = out
	}
	return a, nil
}

// lookup returns the response bytes of an encoded request, or nil.
func (a *answers) lookup(req []byte) []byte {
	if a.byDigest != nil {
		return a.byDigest[digestOf(req)]
	}
	if out, ok := a.byRequest[string(req)]; ok {
		return out
	}
	a.mu.RLock()
	out, ok := a.variants[string(req)]
	a.mu.RUnlock()
	if ok {
		return out
	}
	m := a.newRequest()
	if proto.Unmarshal(req, m) != nil {
		return nil
	}
	key, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil
	}
	out = a.byRequest[string(key)]
	if out != nil {
		a.mu.Lock()
		if len(a.variants) < maxVariants {
			a.variants[string(req)] = out
		}
		a.mu.Unlock()
	}
	return out
}
