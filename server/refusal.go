package server

import (
	"context"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// refusal refuses new calls, on both ports, from the start of a graceful
// shutdown. The HTTP port's calls must finish before grpc-go's
// GracefulStop, which cancels them (it drains their transports by closing
// them); until GracefulStop refuses new calls itself, refusal does, with
// the UNAVAILABLE that a client gets after GracefulStop's GOAWAY.
type refusal struct {
	on atomic.Bool
}

// errShuttingDown is the error of a refused call.
var errShuttingDown = status.Error(codes.Unavailable, "the server is shutting down")

// start refuses every call from now on.
func (r *refusal) start() { r.on.Store(true) }

func (r *refusal) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if r.on.Load() {
		return nil, errShuttingDown
	}
	return handler(ctx, req)
}

func (r *refusal) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if r.on.Load() {
		return errShuttingDown
	}
	return handler(srv, ss)
}
