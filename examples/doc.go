// Package examples holds the callers of errbridge in other languages
// (examples/node, examples/python): translate.mjs and translate.py call the
// gRPC service through the stubs that scripts/generate made from the proto,
// and proxy-status.mjs and proxy_status.py call through errbridge proxy with
// the languages' own HTTP clients (fetch, urllib) and decode the
// X-Errbridge-Status-Bin header with the generated google.rpc types. Its
// tests start the real binary on a loopback port and run each caller
// against it.
package examples
