package httpgw

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// restErrors rewrites the error responses of the REST paths into the
// AIP-193 form:
//
//	{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT","details":[…]}}
//
// code is the HTTP status, status the google.rpc.Code name, and details the
// google.rpc.Status details in their JSON form (each with its "@type").
// Vanguard writes a REST error as a bare google.rpc.Status; errors that
// come from the routing (an unknown path, a wrong method) are plain text,
// whose text becomes the message and whose HTTP status gives the code.
func restErrors(next http.Handler) http.Handler {
	return rewriteErrors(next, func(status int, body []byte) (int, []byte, bool) {
		status, out := aipError(status, body)
		return status, out, true
	})
}

// aipStatus is the "error" object of AIP-193.
type aipStatus struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Status  string          `json:"status"`
	Details json.RawMessage `json:"details,omitempty"`
}

// aipError turns an error body with the given HTTP status into the
// AIP-193 JSON, and returns it with the HTTP status to send.
//
// The body is a google.rpc.Status in JSON when vanguard or the service
// wrote it, whatever its Content-Type says; anything else is routing's
// plain text. Vanguard reports a query or JSON body that it could not
// decode as UNKNOWN (HTTP 500); errbridge's handlers never fail with
// UNKNOWN, so on these paths it means bad input: INVALID_ARGUMENT, 400.
func aipError(httpStatus int, body []byte) (int, []byte) {
	e := aipStatus{Code: httpStatus}
	var st struct {
		Code    *int32          `json:"code"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	}
	if json.Unmarshal(body, &st) == nil && st.Code != nil {
		if *st.Code == int32(code.Code_UNKNOWN) {
			*st.Code, e.Code = int32(code.Code_INVALID_ARGUMENT), http.StatusBadRequest
		}
		e.Status, e.Message = codeName(*st.Code), st.Message
		if d := bytes.TrimSpace(st.Details); len(d) > 0 && !bytes.Equal(d, []byte("[]")) && !bytes.Equal(d, []byte("null")) {
			e.Details = d
		}
	} else {
		e.Status = codeName(int32(translate.CodeForHTTPStatus(httpStatus)))
		e.Message = strings.TrimSpace(string(body))
	}
	if e.Message == "" {
		e.Message = http.StatusText(e.Code)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Error aipStatus `json:"error"`
	}{e}); err != nil {
		// Only malformed details can fail; the error stays readable without them.
		e.Details = nil
		b.Reset()
		_ = enc.Encode(struct {
			Error aipStatus `json:"error"`
		}{e})
	}
	return e.Code, b.Bytes()
}

// codeName is the google.rpc.Code name of c, e.g. "INVALID_ARGUMENT".
func codeName(c int32) string {
	if name, ok := code.Code_name[c]; ok {
		return name
	}
	return code.Code_UNKNOWN.String()
}
