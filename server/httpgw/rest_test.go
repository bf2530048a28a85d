package httpgw_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/errbridge/errbridge/server/servertest"
	"github.com/google/go-cmp/cmp"
)

// aip is the AIP-193 error form.
type aip struct {
	Error *struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Status  string            `json:"status"`
		Details []json.RawMessage `json:"details"`
	} `json:"error"`
}

// fetch sends one request to the HTTP port and returns the status, the
// Content-Type and the body.
func fetch(t *testing.T, method, url, contentType, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(callCtx(t), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestRESTPaths(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	body9003 := b64(`{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}`)
	for _, tc := range []struct {
		name, method, path, contentType, body string
		// check reads the decoded JSON of a 200 answer.
		check func(t *testing.T, v map[string]any)
	}{
		{"translate", "POST", "/v1/translate", "application/json", `{"httpStatus":400,"body":"` + body9003 + `","locale":"zh-CN"}`,
			func(t *testing.T, v map[string]any) {
				want := map[string]any{"code": "NOT_FOUND", "reason": "MEETING_NOT_FOUND", "localizedMessage": "会议不存在。", "errorCode": "9003"}
				for k, w := range want {
					if v[k] != w {
						t.Errorf("%s = %v, want %v", k, v[k], w)
					}
				}
			}},
		{"translate with curl's default content type", "POST", "/v1/translate", "application/x-www-form-urlencoded", `{"httpStatus":400,"body":"` + body9003 + `"}`,
			func(t *testing.T, v map[string]any) {
				if v["reason"] != "MEETING_NOT_FOUND" {
					t.Errorf("reason %v", v["reason"])
				}
			}},
		{"batch", "POST", "/v1/translate:batch", "application/json", `{"requests":[{"httpStatus":400,"body":"` + body9003 + `"},{"httpStatus":0}]}`,
			func(t *testing.T, v map[string]any) {
				results, _ := v["results"].([]any)
				if len(results) != 2 {
					t.Fatalf("results %v", v["results"])
				}
				first, _ := results[0].(map[string]any)["response"].(map[string]any)
				second, _ := results[1].(map[string]any)["error"].(map[string]any)
				if first["reason"] != "MEETING_NOT_FOUND" || second["code"] != float64(3) {
					t.Errorf("results %v", results)
				}
			}},
		{"list, filtered by query parameters", "GET", "/v1/errorCodes?family=API_FAMILY_OAUTH&pageSize=3", "", "",
			func(t *testing.T, v map[string]any) {
				codes, _ := v["errorCodes"].([]any)
				if len(codes) != 3 || v["nextPageToken"] == "" {
					t.Fatalf("page %v", v)
				}
				for _, c := range codes {
					if f := c.(map[string]any)["family"]; f != "API_FAMILY_OAUTH" {
						t.Errorf("family %v", f)
					}
				}
			}},
		{"get by reason answers the ErrorCode itself", "GET", "/v1/errorCodes/APP_MINUTE_RATE_EXCEEDED", "", "",
			func(t *testing.T, v map[string]any) {
				spec, _ := v["spec"].(map[string]any)
				if v["code"] != "190310" || v["reason"] != "APP_MINUTE_RATE_EXCEEDED" || spec["retry"] != "RETRY_POLICY_NEXT_WINDOW" {
					t.Errorf("entry %v", v)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, ct, body := fetch(t, tc.method, base+tc.path, tc.contentType, tc.body)
			if status != http.StatusOK || !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("status %d, %s: %s", status, ct, body)
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			tc.check(t, v)
		})
	}
}

func TestRESTErrorsAreAIP193(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	for _, tc := range []struct {
		name, method, path, body string
		code                     int
		status                   string
		message                  string // a part of the message
		details                  []string
	}{
		{"invalid request", "POST", "/v1/translate", `{"httpStatus":99}`,
			400, "INVALID_ARGUMENT", "http_status", []string{"type.googleapis.com/google.rpc.BadRequest"}},
		{"unknown reason", "GET", "/v1/errorCodes/NO_SUCH_REASON", "",
			404, "NOT_FOUND", "NO_SUCH_REASON", []string{"type.googleapis.com/google.rpc.ResourceInfo"}},
		{"malformed JSON", "POST", "/v1/translate", `{"httpStatus":`,
			400, "INVALID_ARGUMENT", "proto", nil},
		{"unknown query parameter", "GET", "/v1/errorCodes?colour=blue", "",
			400, "INVALID_ARGUMENT", "colour", nil},
		{"bad query value", "GET", "/v1/errorCodes?family=NOPE", "",
			400, "INVALID_ARGUMENT", "family", nil},
		{"negative page size", "GET", "/v1/errorCodes?pageSize=-1", "",
			400, "INVALID_ARGUMENT", "page_size", []string{"type.googleapis.com/google.rpc.BadRequest"}},
		{"batch over the limit", "POST", "/v1/translate:batch", `{"requests":[]}`,
			400, "INVALID_ARGUMENT", "requests", []string{"type.googleapis.com/google.rpc.BadRequest"}},
		{"unknown path", "GET", "/v1/nothing", "",
			404, "NOT_FOUND", "no REST method at GET /v1/nothing", nil},
		{"wrong method", "GET", "/v1/translate", "",
			405, "FAILED_PRECONDITION", "Method Not Allowed", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, ct, body := fetch(t, tc.method, base+tc.path, "application/json", tc.body)
			var e aip
			if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
				t.Fatalf("status %d, body %s: not AIP-193 (%v)", status, body, err)
			}
			if status != tc.code || e.Error.Code != tc.code || e.Error.Status != tc.status || ct != "application/json" {
				t.Errorf("HTTP %d (%s), error.code %d, error.status %s; want %d, %s, application/json",
					status, ct, e.Error.Code, e.Error.Status, tc.code, tc.status)
			}
			if !strings.Contains(e.Error.Message, tc.message) {
				t.Errorf("message %q lacks %q", e.Error.Message, tc.message)
			}
			var types []string
			for _, d := range e.Error.Details {
				var typed struct {
					Type string `json:"@type"`
				}
				if err := json.Unmarshal(d, &typed); err != nil {
					t.Errorf("detail %s: %v", d, err)
				}
				types = append(types, typed.Type)
			}
			if !cmp.Equal(types, tc.details) {
				t.Errorf("detail types %v, want %v", types, tc.details)
			}
		})
	}
}

func TestConnectErrorsKeepConnectsForm(t *testing.T) {
	t.Parallel()
	base := servertest.Start(t).ServeGateway(t)
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
		detail     string
	}{
		{"invalid request", `{"httpStatus":99}`, 400, "invalid_argument", "google.rpc.BadRequest"},
		{"malformed JSON", `{"httpStatus":`, 400, "invalid_argument", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, _, body := fetch(t, "POST", base+"/errbridge.v1.TranslatorService/Translate", "application/json", tc.body)
			var e struct {
				Code, Message string
				Details       []struct{ Type, Value string }
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if status != tc.status || e.Code != tc.code || e.Message == "" {
				t.Errorf("HTTP %d %s; want %d, code %q and a message", status, body, tc.status, tc.code)
			}
			if tc.detail != "" && (len(e.Details) != 1 || e.Details[0].Type != tc.detail || e.Details[0].Value == "") {
				t.Errorf("details %+v, want one %s", e.Details, tc.detail)
			}
		})
	}
}
