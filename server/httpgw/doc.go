// Package httpgw is errbridge's HTTP port: the handler that serves a
// grpc.Server to callers without gRPC, through connectrpc.com/vanguard.
//
// One handler answers
//   - the Connect protocol (unary calls as JSON or binary POSTs, e.g.
//     POST /errbridge.v1.TranslatorService/Translate), for every service of
//     the grpc.Server;
//   - gRPC-Web, likewise;
//   - the REST paths that the google.api.http annotations of
//     errbridge/v1/translator.proto declare (POST /v1/translate,
//     POST /v1/translate:batch, GET /v1/errorCodes, GET /v1/errorCodes/{reason}),
//     with errors in the AIP-193 JSON form
//     {"error":{"code":404,"message":"…","status":"NOT_FOUND","details":[…]}};
//   - gRPC itself, when it arrives over HTTP/2;
//   - the catalogue page at /: plain HTML, CSS and JavaScript embedded in
//     the binary, which reads the catalogue and calls Translate over Connect
//     on the same port and nowhere else.
//
// Vanguard turns every call into a gRPC call on the grpc.Server's
// ServeHTTP, so the server's interceptors, codec, message limits and
// services run for it exactly as for a call on the gRPC port.
package httpgw
