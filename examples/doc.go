// Package examples holds the callers of errbridge in other languages
// (examples/node, examples/python, examples/java). translate.mjs,
// translate.py and Translate.java call the gRPC service through the stubs
// that scripts/generate made from the proto; proxy-status.mjs and
// proxy_status.py call through errbridge proxy with the languages' own HTTP
// clients (fetch, urllib) and decode the X-Errbridge-Status-Bin header with
// the generated google.rpc types. Its tests start the real binary on a
// loopback port, run each caller against it, and check that every language
// prints the same line. examples/overlay holds the catalogue overlay of the
// README's worked example, which the catalog and cmd/errbridge tests load as
// it is.
package examples
