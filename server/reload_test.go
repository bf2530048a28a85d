package server_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server"
	"github.com/errbridge/errbridge/server/servertest"
	"github.com/prometheus/client_golang/prometheus"
)

// TestSetTranslatorReloadsTheCatalogue swaps the catalogue of a serving
// server while batches run over gRPC: each batch sees one catalogue, new
// calls see the new one, and the reason label follows it.
func TestSetTranslatorReloadsTheCatalogue(t *testing.T) {
	t.Parallel()
	one, two := servertest.OverlayTranslator(t, "TEST_ONE"), servertest.OverlayTranslator(t, "TEST_TWO")
	s := servertest.Start(t, server.WithTranslator(one), server.WithMetricsRegistry(prometheus.NewRegistry()))
	c := stub(t, s)
	body := restBody("999001")
	resp, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: body})
	if err != nil || resp.GetReason() != "TEST_ONE" {
		t.Fatalf("before the reload: %v, %v", resp.GetReason(), err)
	}
	if m := scrape(t, s); !strings.Contains(m, `errbridge_translations_total{grpc_code="FailedPrecondition",reason="TEST_ONE"} 1`) {
		t.Errorf("metrics lack TEST_ONE:\n%s", grepLines(m, "TEST_"))
	}

	batch := &errbridgev1.TranslateBatchRequest{}
	for range 100 {
		batch.Requests = append(batch.Requests, &errbridgev1.TranslateRequest{HttpStatus: 400, Body: body})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				r, err := c.TranslateBatch(callCtx(t), batch)
				if err != nil {
					errs <- err
					return
				}
				first := r.GetResults()[0].GetResponse().GetReason()
				for i, item := range r.GetResults() {
					if got := item.GetResponse().GetReason(); got != first {
						errs <- fmt.Errorf("a batch mixes catalogues: item 0 %s, item %d %s", first, i, got)
						return
					}
				}
			}
		}()
	}
	for i := range 200 {
		next := two
		if i%2 == 1 {
			next = one
		}
		if err := s.SetTranslator(next); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := s.SetTranslator(two); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTranslator(nil); err == nil {
		t.Error("SetTranslator(nil) succeeded")
	}
	resp, err = c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: body})
	if err != nil || resp.GetReason() != "TEST_TWO" {
		t.Fatalf("after the reload: %v, %v", resp.GetReason(), err)
	}
	got, err := c.GetErrorCode(callCtx(t), &errbridgev1.GetErrorCodeRequest{Reason: "TEST_TWO"})
	if err != nil || got.GetErrorCode().GetSource() != errbridgev1.ErrorCodeSource_ERROR_CODE_SOURCE_OVERLAY || got.GetErrorCode().GetOverlayFile() != "overlay.textproto" {
		t.Errorf("GetErrorCode(TEST_TWO): %v, %v", got, err)
	}
	m := scrape(t, s)
	if strings.Contains(m, `reason="TEST_ONE"`) || !strings.Contains(m, `reason="TEST_TWO"`) {
		t.Errorf("the reason label does not follow the catalogue:\n%s", grepLines(m, "TEST_"))
	}
}

// TestUnknownCodesCountedAndLogged sends uncatalogued codes through
// Translate and TranslateBatch.
func TestUnknownCodesCountedAndLogged(t *testing.T) {
	t.Parallel()
	var logs servertest.Buffer
	s := servertest.Start(t, server.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))), server.WithMetricsRegistry(prometheus.NewRegistry()))
	c := stub(t, s)
	secret := map[string]string{"X-TC-Trace": "HEADER-SECRET"}
	for range 3 {
		if _, err := c.Translate(callCtx(t), &errbridgev1.TranslateRequest{HttpStatus: 400, Body: restBody("424242"), Headers: secret}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.TranslateBatch(callCtx(t), &errbridgev1.TranslateBatchRequest{Requests: []*errbridgev1.TranslateRequest{
		{HttpStatus: 400, Body: restBody("424242")},
		{HttpStatus: 503, Body: []byte(`{"code":424243,"message":"oauth busy","secret":"BODY-SECRET"}`)},
		{HttpStatus: 400, Body: restBody("9003")},
		{HttpStatus: 0},
	}}); err != nil {
		t.Fatal(err)
	}
	m := scrape(t, s)
	for _, want := range []string{
		`errbridge_unknown_error_codes_total{code="424242",family="rest"} 4`,
		`errbridge_unknown_error_codes_total{code="424243",family="oauth"} 1`,
		`errbridge_unknown_error_codes_total{code="other",family="other"} 0`,
	} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(m, "unknown_error_codes"))
		}
	}
	if strings.Contains(m, `code="9003"`) {
		t.Error("a catalogued code is counted as unknown")
	}
	all := logs.String()
	if n := strings.Count(all, `"msg":"uncatalogued upstream error code"`); n != 2 {
		t.Errorf("%d first-seen lines, want 2:\n%s", n, all)
	}
	for _, want := range []string{
		`"family":"rest","code":424242,"http_status":400,"upstream_message":"upstream says no"`,
		`"family":"oauth","code":424243,"http_status":503,"upstream_message":"oauth busy"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the log lacks %s:\n%s", want, all)
		}
	}
	if strings.Contains(all, "SECRET") {
		t.Errorf("a header or body reached the log:\n%s", all)
	}
}
