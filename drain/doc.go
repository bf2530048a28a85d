// Package drain stops a server the way probes and load balancers expect.
// On a stop signal the server reports that it is not serving at once, yet
// keeps accepting and serving for a delay, long enough for health probes
// (a kubelet, grpc-health-probe, a balancer's checks) to see it and send
// new requests elsewhere. Then it stops accepting and lets the requests in
// flight finish within a timeout, after which it stops hard.
//
// The package knows nothing of gRPC or HTTP: a [Target] is anything with
// those two steps. errbridge's gRPC server is one; an *http.Server with a
// [Health] flag on its health endpoint is another ([HTTPServer]).
package drain
