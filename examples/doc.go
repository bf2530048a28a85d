// Package examples holds the callers of errbridge in other languages
// (examples/node, examples/python). Its tests start the real server binary
// on a loopback port and run each caller against it, through the stubs that
// scripts/generate made from the proto.
package examples
