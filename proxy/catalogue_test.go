package proxy_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/proxy"
	"github.com/errbridge/errbridge/proxy/proxytest"
	"github.com/errbridge/errbridge/translate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/testing/protocmp"
)

// TestEveryCatalogueCode walks the catalogue: the fake upstream answers each
// REST and OAuth code in its family's shape (every other one pretty-printed
// over several lines), and the proxy must answer in each body mode with the
// Status the engine gives for that response, in the headers.
func TestEveryCatalogueCode(t *testing.T) {
	t.Parallel()
	up := proxytest.Start(t, false)
	tp := startProxy(t, up.URL)
	n := 0
	for i, e := range tp.tr.Catalog().Entries() {
		if e.IsSuccess() || e.Family == errbridgev1.ApiFamily_API_FAMILY_FALLBACK {
			continue
		}
		n++
		family := "rest"
		if e.Family == errbridgev1.ApiFamily_API_FAMILY_OAUTH {
			family = "oauth"
		}
		status := 400
		switch e.GRPCCode() {
		case codes.Internal, codes.Unknown, codes.Unavailable:
			status = 500
		}
		pretty := i%2 == 1
		path := fmt.Sprintf("%s%s/%d?status=%d&pretty=%v", proxytest.CodePath, family, e.Code, status, map[bool]string{true: "1"}[pretty])
		upstreamBody := proxytest.Body(family, e.Code, pretty)
		traceName := map[string]string{"rest": "X-TC-Trace", "oauth": "Gw-Trace-Id"}[family]
		trace := map[string]string{"rest": fmt.Sprintf("trace-%d", e.Code), "oauth": fmt.Sprintf("gw-%d", e.Code)}[family]
		want := tp.tr.Translate(status, []byte(upstreamBody), &translate.Options{Method: "GET", Headers: map[string]string{traceName: trace}})
		for _, mode := range []proxy.ErrorBody{proxy.ErrorBodyUpstream, proxy.ErrorBodyGoogle, proxy.ErrorBodySDK} {
			t.Run(e.Name+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				resp, body := tp.do(t, http.MethodGet, path, header(proxy.HeaderErrorBody, mode.String()), nil)
				if diff := cmp.Diff(want.Proto(), statusOf(t, resp), protocmp.Transform()); diff != "" {
					t.Fatalf("status header differs from the engine's (-engine +proxy):\n%s", diff)
				}
				if got := resp.Header.Get(proxy.HeaderReason); got != e.Reason {
					t.Errorf("%s = %q, want %q", proxy.HeaderReason, got, e.Reason)
				}
				if got, wantCode := resp.Header.Get(proxy.HeaderCode), code.Code(want.Code()).String(); got != wantCode {
					t.Errorf("%s = %q, want %q", proxy.HeaderCode, got, wantCode)
				}
				if got, wantAfter := resp.Header.Get("Retry-After"), retryAfter(want); got != wantAfter {
					t.Errorf("Retry-After = %q, want %q (whole seconds, exactly with a RetryInfo)", got, wantAfter)
				}
				if resp.Header.Get(traceName) != trace {
					t.Errorf("trace header %s lost", traceName)
				}
				checkBody(t, mode, resp, body, upstreamBody, status, e.Code, want)
			})
		}
	}
	if n < 60 {
		t.Fatalf("walked %d codes; the catalogue has more", n)
	}
}

// checkBody checks a translated error's status and body in a mode.
func checkBody(t *testing.T, mode proxy.ErrorBody, resp *http.Response, body []byte, upstreamBody string, upstreamStatus int, upstreamCode int64, want *translate.Result) {
	t.Helper()
	switch mode {
	case proxy.ErrorBodyUpstream:
		if resp.StatusCode != upstreamStatus || string(body) != upstreamBody {
			t.Errorf("upstream mode changed the answer: %d %s", resp.StatusCode, body)
		}
	case proxy.ErrorBodyGoogle:
		var g googleError
		if err := json.Unmarshal(body, &g); err != nil {
			t.Fatalf("google body %s: %v", body, err)
		}
		httpStatus := translate.HTTPStatusForCode(want.Code())
		if _, retry := want.RetryDelay(); httpStatus == 503 && !retry {
			httpStatus = 502
		}
		if resp.StatusCode != httpStatus || g.Error.Code != httpStatus || g.Error.Status != code.Code(want.Code()).String() ||
			g.Error.Message != want.Message() || len(g.Error.Details) != len(want.Proto().GetDetails()) {
			t.Errorf("google answer %d %s; want %d with %d details", resp.StatusCode, body, httpStatus, len(want.Proto().GetDetails()))
		}
		if !strings.Contains(string(g.Error.Details[0]), `"@type":"type.googleapis.com/google.rpc.ErrorInfo"`) {
			t.Errorf("first detail is not an ErrorInfo with @type: %s", g.Error.Details[0])
		}
	case proxy.ErrorBodySDK:
		var s sdkError
		if err := json.Unmarshal(body, &s); err != nil {
			t.Fatalf("sdk body %s: %v", body, err)
		}
		ei := s.ErrorInfo
		if resp.StatusCode != upstreamStatus || ei.ErrorCode == nil || *ei.ErrorCode != upstreamCode || ei.NewErrorCode == nil || ei.Message == nil || *ei.Message == "" {
			t.Errorf("sdk answer %d %s", resp.StatusCode, body)
		}
		var top map[string]json.RawMessage
		_ = json.Unmarshal(body, &top)
		var orig map[string]json.RawMessage
		_ = json.Unmarshal([]byte(upstreamBody), &orig)
		for k := range orig {
			if _, ok := top[k]; !ok {
				t.Errorf("sdk body lost the field %q: %s", k, body)
			}
		}
	}
}

// retryAfter is the Retry-After a translation calls for: its RetryInfo
// delay in whole seconds rounded up, or none.
func retryAfter(r *translate.Result) string {
	d, ok := r.RetryDelay()
	if !ok {
		return ""
	}
	return strconv.FormatInt(int64(math.Ceil(d.Seconds())), 10)
}
