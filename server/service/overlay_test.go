package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/errbridge/errbridge/server/service"
	"google.golang.org/genproto/googleapis/rpc/code"
)

func TestCatalogueRPCsShowOverlayEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := service.New(servertest.OverlayTranslator(t, "TEST_ADDED"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		req    *errbridgev1.GetErrorCodeRequest
		reason string
		source errbridgev1.ErrorCodeSource
		file   string
		enUS   string
	}{
		{"added, by code", &errbridgev1.GetErrorCodeRequest{Code: 999001}, "TEST_ADDED", errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY, "overlay.textproto", "Added."},
		{"added, by reason", &errbridgev1.GetErrorCodeRequest{Reason: "TEST_ADDED"}, "TEST_ADDED", errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY, "overlay.textproto", "Added."},
		{"replaced", &errbridgev1.GetErrorCodeRequest{Family: errbridgev1.ApiFamily_API_FAMILY_REST, Code: 9003}, "MEETING_NOT_FOUND",
			errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY_REPLACEMENT, "overlay.textproto", "Replaced."},
		{"built in", &errbridgev1.GetErrorCodeRequest{Code: 9008}, "MEETING_CREATION_LIMIT_EXCEEDED", errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_BUILTIN, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := s.GetErrorCode(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			ec := resp.GetErrorCode()
			if ec.GetReason() != tc.reason || ec.GetSource() != tc.source || ec.GetOverlayFile() != tc.file {
				t.Errorf("got %s %v %q, want %s %v %q", ec.GetReason(), ec.GetSource(), ec.GetOverlayFile(), tc.reason, tc.source, tc.file)
			}
			if tc.enUS != "" && ec.GetSpec().GetEnUs() != tc.enUS {
				t.Errorf("en_us %q, want %q", ec.GetSpec().GetEnUs(), tc.enUS)
			}
		})
	}
	list, err := s.ListErrorCodes(ctx, &errbridgev1.ListErrorCodesRequest{PageSize: service.MaxPageSize, Family: errbridgev1.ApiFamily_API_FAMILY_REST})
	if err != nil {
		t.Fatal(err)
	}
	sources := map[errbridgev1.ErrorCodeSource]int{}
	for _, ec := range list.GetErrorCodes() {
		sources[ec.GetSource()]++
	}
	if sources[errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY] != 1 || sources[errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY_REPLACEMENT] != 1 ||
		sources[errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_BUILTIN] != len(list.GetErrorCodes())-2 {
		t.Errorf("ListErrorCodes sources: %v of %d entries", sources, len(list.GetErrorCodes()))
	}
	tr, err := s.Translate(ctx, &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":999001}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if tr.GetReason() != "TEST_ADDED" || tr.GetRestCode() != 999001 || tr.GetCode() != code.Code_FAILED_PRECONDITION {
		t.Errorf("Translate: %s %v %v", tr.GetReason(), tr.GetRestCode(), tr.GetCode())
	}
}

// TestSetTranslatorSwapsWholeCalls flips the catalogue between two overlays
// while batches run: every batch must see one catalogue from its first item
// to its last, and every catalogue call must be consistent in itself.
func TestSetTranslatorSwapsWholeCalls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	one, two := servertest.OverlayTranslator(t, "TEST_ONE"), servertest.OverlayTranslator(t, "TEST_TWO")
	s, err := service.New(one)
	if err != nil {
		t.Fatal(err)
	}
	batch := &errbridgev1.TranslateBatchRequest{}
	for range 200 {
		batch.Requests = append(batch.Requests, &errbridgev1.TranslateRequest{HttpStatus: 400, Body: []byte(`{"error_info":{"error_code":999001}}`)})
	}
	stop := make(chan struct{})
	var flips sync.WaitGroup
	flips.Add(1)
	go func() {
		defer flips.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				s.SetTranslator(two)
			} else {
				s.SetTranslator(one)
			}
		}
	}()
	var calls sync.WaitGroup
	errs := make(chan error, 8)
	seen := make(chan string, 8*50)
	for range 8 {
		calls.Add(1)
		go func() {
			defer calls.Done()
			for range 50 {
				resp, err := s.TranslateBatch(ctx, batch)
				if err != nil {
					errs <- err
					return
				}
				first := resp.GetResults()[0].GetResponse().GetReason()
				for i, r := range resp.GetResults() {
					if got := r.GetResponse().GetReason(); got != first {
						errs <- fmt.Errorf("one batch mixes catalogues: item 0 is %s, item %d is %s", first, i, got)
						return
					}
				}
				seen <- first
				got, err := s.GetErrorCode(ctx, &errbridgev1.GetErrorCodeRequest{Code: 999001})
				if err != nil {
					errs <- err
					return
				}
				if r := got.GetErrorCode().GetReason(); r != "TEST_ONE" && r != "TEST_TWO" {
					errs <- fmt.Errorf("GetErrorCode reason %q", r)
					return
				}
			}
		}()
	}
	calls.Wait()
	close(stop)
	flips.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	close(seen)
	reasons := map[string]bool{}
	for r := range seen {
		reasons[r] = true
	}
	if !reasons["TEST_ONE"] && !reasons["TEST_TWO"] {
		t.Errorf("no batch translated with either catalogue: %v", reasons)
	}
	s.SetTranslator(two)
	if s.Translator() != two {
		t.Error("Translator() is not the last one set")
	}
	s.SetTranslator(nil)
	if s.Translator() != two {
		t.Error("SetTranslator(nil) changed the translator")
	}
}
