// Package proto holds errbridge's protobuf sources (errbridge/v1) and, in its
// tests, the checks that keep them honest: buf lint, buf format, googleapis'
// api-linter (with the exceptions in api-linter.json, each with its reason),
// and that gen/ is exactly what scripts/generate makes of them.
package proto
