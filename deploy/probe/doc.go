// Command probe checks a running errbridge server from outside, the way a
// deployment is checked: grpc.health.v1 Check must answer SERVING, and one
// Translate of a typical upstream error must come back exactly as the
// in-process engine translates the same request. scripts/image-test runs it
// against the container image through its published port.
//
//	go run ./deploy/probe --addr 127.0.0.1:50051
//
// With --watch-drain it then watches health, prints "watch: SERVING", and
// waits for the NOT_SERVING that a draining server sends its watchers: the
// caller sends the server SIGTERM after that line.
//
// It prints one line per check and exits 0 only when every check passed.
package main
