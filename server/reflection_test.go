package server_test

import (
	"slices"
	"testing"

	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

func TestReflection(t *testing.T) {
	t.Parallel()
	conn := servertest.Start(t).Dial(t)
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(callCtx(t))
	if err != nil {
		t.Fatalf("ServerReflectionInfo: %v", err)
	}
	defer func() { _ = stream.CloseSend() }()
	ask := func(req *reflectionpb.ServerReflectionRequest) *reflectionpb.ServerReflectionResponse {
		t.Helper()
		if err := stream.Send(req); err != nil {
			t.Fatalf("Send: %v", err)
		}
		resp, err := stream.Recv()
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		if e := resp.GetErrorResponse(); e != nil {
			t.Fatalf("reflection error for %v: %v", req, e)
		}
		return resp
	}

	list := ask(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
	})
	var services []string
	for _, s := range list.GetListServicesResponse().GetService() {
		services = append(services, s.GetName())
	}
	for _, want := range []string{server.ServiceName, "grpc.health.v1.Health"} {
		if !slices.Contains(services, want) {
			t.Errorf("services %v lack %s", services, want)
		}
	}

	// The detail types of statuses resolve, so that tools print them decoded.
	for _, symbol := range []string{"google.rpc.ErrorInfo", "google.rpc.RetryInfo", "google.rpc.LocalizedMessage", "errbridge.v1.TranslateResponse"} {
		resp := ask(&reflectionpb.ServerReflectionRequest{
			MessageRequest: &reflectionpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: symbol},
		})
		files := resp.GetFileDescriptorResponse().GetFileDescriptorProto()
		if len(files) == 0 {
			t.Fatalf("no file for %s", symbol)
		}
		var fd descriptorpb.FileDescriptorProto
		if err := proto.Unmarshal(files[0], &fd); err != nil {
			t.Fatalf("file of %s: %v", symbol, err)
		}
		found := false
		for _, m := range fd.GetMessageType() {
			if fd.GetPackage()+"."+m.GetName() == symbol {
				found = true
			}
		}
		if !found {
			t.Errorf("file %s does not define %s", fd.GetName(), symbol)
		}
	}
}
