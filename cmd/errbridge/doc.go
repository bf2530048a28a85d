// Command errbridge serves errbridge's TranslatorService over gRPC, runs the
// egress proxy, and translates, checks health and reports its version from
// the command line:
//
//	errbridge [serve] [flags]          serve gRPC on :50051 (the default)
//	errbridge proxy [flags]            forward HTTP on :8081 to the upstream, errors translated
//	errbridge translate --http-status N [flags] < body.json
//	errbridge health [--addr 127.0.0.1:50051]
//	errbridge version
//
// Run "errbridge COMMAND --help" for a command's flags. Every flag can also
// be set with the ERRBRIDGE_* variable its help names; the command line
// beats the environment, which beats the default.
package main
