package httpgw

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"connectrpc.com/vanguard"
	"connectrpc.com/vanguard/vanguardgrpc"
	"google.golang.org/grpc"
)

// restPrefix starts every REST path; Connect and gRPC-Web paths start with
// a service name instead.
const restPrefix = "/v1/"

// New returns the HTTP handler of srv: Connect, gRPC-Web and gRPC for every
// service registered on srv, the REST paths of its google.api.http
// annotations, and the catalogue page at /. Register every service on srv
// before calling New.
func New(srv *grpc.Server, opts ...Option) (http.Handler, error) {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("httpgw: nil option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if srv == nil {
		return nil, errors.New("httpgw: nil grpc.Server")
	}
	var svcOpts []vanguard.ServiceOption
	if cfg.maxMessageBytes > 0 {
		svcOpts = append(svcOpts, vanguard.WithMaxMessageBufferBytes(cfg.maxMessageBytes))
	}
	transcoder, err := vanguardgrpc.NewTranscoder(srv,
		vanguard.WithDefaultServiceOptions(svcOpts...),
		vanguard.WithUnknownHandler(pageHandler()))
	if err != nil {
		return nil, fmt.Errorf("httpgw: %w", err)
	}
	rest, connectUnary := restErrors(transcoder), connectErrors(transcoder)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, restPrefix) {
			assumeJSON(r)
			rest.ServeHTTP(w, r)
			return
		}
		assumeConnect(r)
		if isConnectUnary(r) {
			connectUnary.ServeHTTP(w, r)
			return
		}
		transcoder.ServeHTTP(w, r)
	}), nil
}

// assumeJSON gives a REST request with a body the JSON content type when
// it has none, or curl's default for -d (a form), which the REST paths
// cannot take anyway: they speak JSON only.
func assumeJSON(r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return
	}
	switch ct := r.Header.Get("Content-Type"); {
	case ct == "", strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		r.Header.Set("Content-Type", "application/json")
	}
}

// assumeConnect marks a POST of JSON or binary protobuf to an RPC path as
// a Connect unary call when it lacks the Connect-Protocol-Version header.
// The Connect protocol lets clients leave the header out, and vanguard
// would otherwise take such a call for REST, find no REST path and answer
// 404: a plain curl -d to /errbridge.v1.TranslatorService/Translate works.
func assumeConnect(r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Connect-Protocol-Version") != "" {
		return
	}
	switch ct := r.Header.Get("Content-Type"); {
	case strings.HasPrefix(ct, "application/json"), strings.HasPrefix(ct, "application/proto"):
		r.Header.Set("Connect-Protocol-Version", "1")
	}
}
