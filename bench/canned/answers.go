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

// answers maps the encoded requests of the data file to their encoded
// responses, computed by errbridge's service before serving.
type answers struct {
	byRequest map[string][]byte // deterministic encoding → response; read-only

	// A client may encode a request differently (map entries in another
	// order); such an encoding is decoded once, matched, and remembered.
	mu       sync.RWMutex
	variants map[string][]byte
}

// newAnswers computes the answers of a ghz data file.
func newAnswers(data []byte) (*answers, error) {
	var msgs []json.RawMessage
	if err := json.Unmarshal(data, &msgs); err != nil {
		return nil, fmt.Errorf("the data file is not a JSON array: %w", err)
	}
	svc, err := service.New(nil)
	if err != nil {
		return nil, err
	}
	a := &answers{byRequest: make(map[string][]byte, len(msgs)), variants: make(map[string][]byte)}
	for i, m := range msgs {
		req := &errbridgev1.TranslateRequest{}
		if err := protojson.Unmarshal(m, req); err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
		resp, err := svc.Translate(context.Background(), req)
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

// lookup returns the response bytes of an encoded request, or nil.
func (a *answers) lookup(req []byte) []byte {
	if out, ok := a.byRequest[string(req)]; ok {
		return out
	}
	a.mu.RLock()
	out, ok := a.variants[string(req)]
	a.mu.RUnlock()
	if ok {
		return out
	}
	var m errbridgev1.TranslateRequest
	if proto.Unmarshal(req, &m) != nil {
		return nil
	}
	key, err := proto.MarshalOptions{Deterministic: true}.Marshal(&m)
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
