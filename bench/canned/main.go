// Command canned is the load harness's baseline server: a grpc-go server
// built only for the benchmark, not part of errbridge. It serves
// errbridge.v1.TranslatorService/Translate from a ghz data file (a JSON
// array of TranslateRequest messages, as bench/load writes it) by answering
// each request with response bytes computed before it starts serving, and
// TranslateBatch likewise from a second file of TranslateBatchRequest
// messages, when given one. A call to it costs what grpc-go and protobuf's
// wire format cost for the same request and response bytes, and nothing
// else: the floor of the framework for errbridge's payload.
//
//	go run ./bench/canned --listen 127.0.0.1:50052 --data translate.json [--batch-data batch.json]
//
// It uses the transport settings of errbridge serve's defaults (stream
// limits and windows, stream workers), serves grpc.health.v1 (SERVING) and
// reflection, and answers NOT_FOUND for a request that is not in the file.
// It applies errbridge serve's runtime settings itself (package memtune:
// the GC percentage, the soft memory limit and grpc-go's tiered buffer
// pool).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/errbridge/errbridge/internal/memtune"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/service"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:50052", "the `address` to serve on")
	data := flag.String("data", "", "the ghz data `file` of Translate requests")
	batchData := flag.String("batch-data", "", "the ghz data `file` of TranslateBatch requests (none: TranslateBatch is unimplemented)")
	flag.Parse()
	memtune.Apply(os.LookupEnv)
	if err := run(*listen, *data, *batchData); err != nil {
		fmt.Fprintf(os.Stderr, "canned: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dataFile, batchFile string) error {
	if dataFile == "" {
		return errors.New("--data is required")
	}
	svc, err := service.New(nil)
	if err != nil {
		return err
	}
	translate, err := readAnswers(dataFile, svc, translateAnswers)
	if err != nil {
		return err
	}
	var batch *answers
	if batchFile != "" {
		if batch, err = readAnswers(batchFile, svc, batchAnswers); err != nil {
			return err
		}
	}
	c, err := newCodec()
	if err != nil {
		return err
	}
	gs := grpc.NewServer(
		grpc.ForceServerCodecV2(c),
		grpc.MaxConcurrentStreams(server.DefaultMaxConcurrentStreams),
		grpc.StaticStreamWindowSize(server.StreamWindowBytes(service.DefaultMaxBodyBytes)),
		grpc.StaticConnWindowSize(server.ConnWindowBytes),
		grpc.NumStreamWorkers(server.DefaultStreamWorkers),
	)
	gs.RegisterService(translatorDesc(translate, batch), nil)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(gs, hs)
	reflection.Register(gs)

	lis, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		gs.GracefulStop()
	}()
	n := translate.len()
	if batch != nil {
		n += batch.len()
	}
	fmt.Fprintf(os.Stderr, "canned: serving %d answers on %s\n", n, lis.Addr())
	return gs.Serve(lis)
}

// readAnswers computes the answers of the data file at path with build
// (translateAnswers or batchAnswers).
func readAnswers(path string, svc *service.Service, build func([]byte, *service.Service) (*answers, error)) (*answers, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, err := build(b, svc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
