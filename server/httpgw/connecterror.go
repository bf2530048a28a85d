package httpgw

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// connectErrors corrects one thing in the errors of Connect unary calls,
// which otherwise keep Connect's own JSON form
// ({"code":"invalid_argument","message":"…","details":[…]}): vanguard
// reports a request it could not decode (malformed JSON, a wrong type) as
// "unknown" with HTTP 500, and errbridge's handlers never fail with
// UNKNOWN, so such an error is bad input: "invalid_argument", HTTP 400, as
// connect-go itself answers.
func connectErrors(next http.Handler) http.Handler {
	return rewriteErrors(next, func(status int, body []byte) (int, []byte, bool) {
		var e map[string]json.RawMessage
		if json.Unmarshal(body, &e) != nil || !bytes.Equal(e["code"], []byte(`"unknown"`)) {
			return 0, nil, false
		}
		e["code"] = json.RawMessage(`"invalid_argument"`)
		out, err := json.Marshal(e)
		if err != nil {
			return 0, nil, false
		}
		return http.StatusBadRequest, out, true
	})
}

// isConnectUnary reports whether r is a Connect unary call: a POST of JSON
// or binary protobuf with the Connect protocol header (see
// [assumeConnect]), or a GET with ?connect=v1.
func isConnectUnary(r *http.Request) bool {
	if r.Method == http.MethodGet {
		return r.URL.Query().Get("connect") == "v1"
	}
	return r.Method == http.MethodPost && r.Header.Get("Connect-Protocol-Version") == "1" &&
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/connect+")
}
