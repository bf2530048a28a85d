package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/errbridge/errbridge/client"
	"github.com/errbridge/errbridge/internal/fixture"
	"github.com/google/go-cmp/cmp"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/testing/protocmp"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, probes the server and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:50051", "the server's `address`")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long")
	watchDrain := fs.Bool("watch-drain", false, "after the checks, watch health until the server reports NOT_SERVING (send it SIGTERM once \"watch: SERVING\" is printed)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	err := func() error {
		// One address and no client-side health checking: the probe asks
		// for the health itself, and must reach a server that is not
		// SERVING to say so.
		c, err := client.Dial(*addr, client.WithServiceConfig(`{"loadBalancingConfig": [{"pick_first": {}}]}`))
		if err != nil {
			return err
		}
		defer c.Close()
		if err := probe(ctx, c, stdout); err != nil || !*watchDrain {
			return err
		}
		return watch(ctx, c, stdout)
	}()
	if err != nil {
		fmt.Fprintf(stderr, "probe: %s: %v\n", *addr, err)
		return 1
	}
	return 0
}

// probe runs the checks through c, printing each result.
func probe(ctx context.Context, c *client.Client, w io.Writer) error {
	h, err := healthpb.NewHealthClient(c.Conn()).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	fmt.Fprintf(w, "health: %s\n", h.GetStatus())
	if h.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return errors.New("health: not SERVING")
	}

	req := fixture.TypicalRequest()
	got, err := c.Translate(ctx, req)
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	local, err := client.NewLocal(nil)
	if err != nil {
		return err
	}
	want, err := local.Translate(ctx, req)
	if err != nil {
		return fmt.Errorf("translate in process: %w", err)
	}
	d := client.ParseProto(got.GetStatus())
	fmt.Fprintf(w, "translate: code %d reason %s\n", got.GetStatus().GetCode(), d.Reason())
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		return fmt.Errorf("translate: the server's answer differs from the engine's (-engine +server):\n%s", diff)
	}
	fmt.Fprintln(w, "translate: matches the in-process engine")
	return nil
}

// watch opens a health Watch, prints "watch: SERVING" once the server says
// so, and returns nil when the server then reports NOT_SERVING: what a
// draining server tells its watchers before it ends their streams.
func watch(ctx context.Context, c *client.Client, w io.Writer) error {
	stream, err := healthpb.NewHealthClient(c.Conn()).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	serving := false
	for {
		resp, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("watch: the stream ended before NOT_SERVING: %w", err)
		}
		switch st := resp.GetStatus(); {
		case st == healthpb.HealthCheckResponse_SERVING && !serving:
			serving = true
			fmt.Fprintln(w, "watch: SERVING")
		case st == healthpb.HealthCheckResponse_NOT_SERVING && serving:
			fmt.Fprintln(w, "watch: NOT_SERVING (draining)")
			return nil
		}
	}
}
