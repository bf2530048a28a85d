// Package client is a thin, typed Go client of errbridge's
// TranslatorService, and helpers that read the translated statuses back.
//
// Two implementations share the [Translator] interface: [Client] calls a
// remote server over gRPC ([Dial] or [New]), and [Local] runs the engine in
// process with no network hop ([NewLocal]), validating requests exactly as
// the server does.
//
// The helpers ([Reason], [Domain], [UpstreamCode], [RetryDelay],
// [ShouldRetry], [LocalizedMessage]) read the google.rpc details of any
// error that carries a gRPC status; [Parse], [ParseStatus] and [ParseProto]
// give all of them at once for an error, a *status.Status or a
// google.rpc.Status message. Every helper accepts nil.
package client
