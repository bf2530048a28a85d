// Package translate is errbridge's engine: it turns one raw error response of
// the Tencent Meeting open API (an HTTP status and a JSON body) into a
// canonical google.rpc.Status, with no network and no shared mutable state.
//
// Invariants, for every input however malformed:
//   - [Translator.Translate] never panics and never returns nil.
//   - A success (a 2xx status without a non-zero error code) is code OK with no
//     details; anything else has a code from 1 to 16 and exactly one
//     google.rpc.ErrorInfo, whose metadata keeps the upstream facts (raw
//     code, new_error_code, HTTP status, message, or a body excerpt).
//   - Every string in the Status is valid UTF-8 and the encoded Status stays
//     under [MaxStatusBytes], so it fits a gRPC trailer for strict peers.
//
// The mapping of each code is read from the proto catalogue (package
// [github.com/errbridge/errbridge/catalog]); nothing here repeats it.
package translate
