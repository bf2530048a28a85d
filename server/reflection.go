package server

import (
	"google.golang.org/grpc/reflection"

	// Linked so that reflection can resolve the google.rpc detail types
	// (ErrorInfo, RetryInfo, …) that statuses carry in Any fields: grpcurl
	// and other reflection clients then print them decoded.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
)

// registerReflection registers server reflection (v1 and v1alpha).
func registerReflection(s reflection.GRPCServer) {
	reflection.Register(s)
}
