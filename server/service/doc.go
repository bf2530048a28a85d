// Package service is the transport-independent implementation of
// errbridge.v1.TranslatorService: request validation, translation with the
// engine, response building, and the catalogue discovery RPCs.
//
// The gRPC server (package [github.com/errbridge/errbridge/server]) registers
// a [Service], and the in-process client (package
// [github.com/errbridge/errbridge/client]) calls one directly, so both
// validate and answer exactly alike.
//
// Errors are grpc-go status errors: INVALID_ARGUMENT with a
// google.rpc.BadRequest detail naming each offending field, or NOT_FOUND for
// an unknown catalogue entry.
package service
