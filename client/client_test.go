package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/errbridge/errbridge/client"
	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// call runs one RPC, named by req's type, on tr.
func call(ctx context.Context, tr client.Translator, req proto.Message) (proto.Message, error) {
	switch r := req.(type) {
	case *errbridgev1.TranslateRequest:
		return tr.Translate(ctx, r)
	case *errbridgev1.TranslateBatchRequest:
		return tr.TranslateBatch(ctx, r)
	case *errbridgev1.ListErrorCodesRequest:
		return tr.ListErrorCodes(ctx, r)
	case *errbridgev1.GetErrorCodeRequest:
		return tr.GetErrorCode(ctx, r)
	}
	panic("unknown request type")
}

func TestLocalAnswersLikeTheServer(t *testing.T) {
	t.Parallel()
	tr := newTranslator(t)
	s := servertest.Start(t, server.WithTranslator(tr), server.WithMaxBodyBytes(512), server.WithMaxBatch(3))
	remote, err := client.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = remote.Close() })
	local, err := client.NewLocal(tr, service.WithMaxBodyBytes(512), service.WithMaxBatch(3))
	if err != nil {
		t.Fatal(err)
	}

	valid := &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":190310}}`), Locale: "zh"}
	invalid := &errbridgev1.TranslateRequest{HttpStatus: 99, Body: make([]byte, 513), Locale: "x y"}
	for _, tc := range []struct {
		name string
		req  proto.Message
	}{
		{"translate", valid},
		{"translate OAuth", &errbridgev1.TranslateRequest{HttpStatus: 401, Body: []byte(`{"code":1002,"message":"bad code"}`), Method: "POST"}},
		{"translate invalid", invalid},
		{"translate with too many headers", &errbridgev1.TranslateRequest{HttpStatus: 400, Headers: manyHeaders()}},
		{"batch", &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{valid, invalid, valid}}},
		{"batch too large", &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{valid, valid, valid, valid}}},
		{"empty batch", &errbridgev1.TranslateBatchRequest{}},
		{"list", &errbridgev1.ListErrorCodesRequest{PageSize: 4, Family: errbridgev1.ApiFamily_API_FAMILY_OAUTH}},
		{"list with a bad token", &errbridgev1.ListErrorCodesRequest{PageToken: "AAAA"}},
		{"get", &errbridgev1.GetErrorCodeRequest{Code: 9003}},
		{"get unknown", &errbridgev1.GetErrorCodeRequest{Reason: "NOT_A_REASON"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, wantErr := call(callCtx(t), remote, tc.req)
			got, gotErr := call(callCtx(t), local, tc.req)
			if !proto.Equal(status.Convert(gotErr).Proto(), status.Convert(wantErr).Proto()) {
				t.Errorf("local error %v, remote error %v", gotErr, wantErr)
			}
			if wantErr == nil && !proto.Equal(got, want) {
				t.Errorf("local answer\n%v\nremote answer\n%v", got, want)
			}
		})
	}
}

func manyHeaders() map[string]string {
	h := make(map[string]string)
	for i := range service.MaxHeaders + 1 {
		h["X-"+strings.Repeat("h", i+1)] = "v"
	}
	return h
}

func TestLocalReturnsCopiesOfTheCatalogue(t *testing.T) {
	t.Parallel()
	local, err := client.NewLocal(nil)
	if err != nil {
		t.Fatal(err)
	}
	req := &errbridgev1.GetErrorCodeRequest{Code: 9003}
	first, err := local.GetErrorCode(callCtx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	first.GetErrorCode().Name = "CHANGED"
	first.GetErrorCode().GetSpec().EnUs = "changed"
	again, err := local.GetErrorCode(callCtx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if again.GetErrorCode().GetName() != "REST_ERROR_CODE_MEETING_NOT_FOUND" || again.GetErrorCode().GetSpec().GetEnUs() == "changed" {
		t.Errorf("a caller's change reached the catalogue: %v", again)
	}
}

func TestLocalHonoursTheContext(t *testing.T) {
	t.Parallel()
	local, err := client.NewLocal(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := local.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 400}); status.Code(err) != codes.Canceled {
		t.Errorf("Translate with a cancelled context: %v, want CANCELLED", err)
	}
}

func TestDialTLS(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	s := servertest.Start(t, server.WithTLSFiles(pki.ServerCert, pki.ServerKey, pki.CAFile))
	creds, err := client.TLSCredentials(pki.CAFile, pki.ClientCert, pki.ClientKey, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(s.Addr, client.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	resp, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":9003}}`)})
	if err != nil || resp.GetReason() != "MEETING_NOT_FOUND" {
		t.Fatalf("Translate over mTLS: %v, %v", resp, err)
	}
}

func TestTLSCredentialsChecksFiles(t *testing.T) {
	t.Parallel()
	pki := servertest.NewPKI(t)
	for _, tc := range []struct {
		name                string
		ca, cert, key, host string
	}{
		{"missing CA file", pki.CAFile + ".missing", "", "", ""},
		{"CA file without certificates", pki.ClientKey, "", "", ""},
		{"certificate without key", pki.CAFile, pki.ClientCert, "", ""},
		{"key of another certificate", pki.CAFile, pki.ClientCert, pki.ServerKey, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := client.TLSCredentials(tc.ca, tc.cert, tc.key, tc.host); err == nil {
				t.Error("TLSCredentials accepted the files")
			}
		})
	}
}

func TestNewOverAConnection(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t)
	c := client.New(s.Dial(t))
	if err := c.Close(); err != nil {
		t.Errorf("Close of a borrowed connection: %v", err)
	}
	// The connection is the caller's, and still works.
	if _, err := c.ListErrorCodes(callCtx(t), &errbridgev1.ListErrorCodesRequest{}); err != nil {
		t.Errorf("ListErrorCodes: %v", err)
	}
}
