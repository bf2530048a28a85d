// Package server assembles errbridge's gRPC server: the TranslatorService of
// package [github.com/errbridge/errbridge/server/service], the standard
// grpc.health.v1 service, server reflection (able to resolve the google.rpc
// detail types), keepalive enforcement, message and stream limits, TLS or
// mTLS, a server-wide memory budget for calls in flight (admission before a
// request is read; RESOURCE_EXHAUSTED with a RetryInfo when it does not
// fit), and, around every call, one wrapper for panic recovery, structured
// logging and Prometheus metrics that also counts and logs the calls that
// fail before their handler (refusals, messages over the limit or not
// decodable, unknown methods).
//
// Logs are written with log/slog and hold only the method, the code, the
// duration and the peer of a call (and, at debug level, the translated
// reason): never a header value or a body. Metrics are served on a separate
// HTTP listener (see [Server.ServeMetrics]). [Server.ServeGateway] serves
// the same grpc.Server over HTTP: REST, Connect, gRPC-Web and the catalogue
// page (package [github.com/errbridge/errbridge/server/httpgw]).
//
// A [Server] drains gracefully: [Server.NotServing] reports NOT_SERVING and
// ends health watches while the server keeps serving (the first step of
// package drain's sequence), and [Server.Shutdown] then lets in-flight
// calls finish while refusing new ones, and stops hard when its context
// ends.
package server
