// Package examples holds the callers of errbridge in other languages
// (examples/node, examples/python, examples/java). Its tests start the real
// server binary on a loopback port and run each caller against it, through
// the stubs that scripts/generate made from the proto, and check that every
// language prints the same line.
package examples
