package proxy

import (
	"bytes"
	"encoding/json"

	"github.com/errbridge/errbridge/translate"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
)

// googleError is the AIP-193 HTTP JSON form of an error.
type googleError struct {
	Error googleStatus `json:"error"`
}

type googleStatus struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Status  string            `json:"status"`
	Details []json.RawMessage `json:"details"`
}

// googleBody renders r in the AIP-193 HTTP JSON form with HTTP status
// httpStatus; every detail is the protojson form of its Any, with "@type".
func googleBody(r *translate.Result, httpStatus int) []byte {
	st := r.Proto()
	g := googleError{Error: googleStatus{
		Code:    httpStatus,
		Message: st.GetMessage(),
		Status:  codeName(codes.Code(st.GetCode())),
		Details: make([]json.RawMessage, 0, len(st.GetDetails())),
	}}
	for _, d := range st.GetDetails() {
		if b, err := protojson.Marshal(d); err == nil {
			g.Error.Details = append(g.Error.Details, b)
		}
	}
	return encodeJSON(g)
}

// Fields of the upstream REST error envelope.
const (
	fieldErrorInfo    = "error_info"
	fieldErrorCode    = "error_code"
	fieldNewErrorCode = "new_error_code"
	fieldMessage      = "message"
)

// sdkBody repairs an upstream error body so that every official SDK reads
// it: the top level and error_info keep every field they had, and error_info
// always holds an integer error_code (the upstream's, or httpStatus when the
// upstream sent none), an integer new_error_code (0 when the upstream sent
// none) and a message (the upstream's, or the localized text of r).
// A body that is not a JSON object becomes a bare envelope.
func sdkBody(body []byte, r *translate.Result, httpStatus int) []byte {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || top == nil {
		top = make(map[string]json.RawMessage, 1)
	}
	var info map[string]json.RawMessage
	if raw, ok := top[fieldErrorInfo]; ok && json.Unmarshal(raw, &info) != nil {
		info = nil
	}
	if info == nil {
		info = make(map[string]json.RawMessage, 3)
	}
	errCode, ok := r.ErrorCode()
	if !ok {
		errCode = int64(httpStatus)
	}
	newCode, _ := r.NewErrorCode()
	info[fieldErrorCode] = encodeJSON(errCode)
	info[fieldNewErrorCode] = encodeJSON(newCode)
	if !isJSONString(info[fieldMessage]) {
		msg := top[fieldMessage]
		if !isJSONString(msg) {
			text, _ := r.LocalizedMessage()
			if text == "" {
				text = r.Message()
			}
			msg = encodeJSON(text)
		}
		info[fieldMessage] = msg
	}
	top[fieldErrorInfo] = encodeJSON(info)
	return encodeJSON(top)
}

// isJSONString reports whether raw is a JSON string.
func isJSONString(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) >= 2 && raw[0] == '"'
}

// encodeJSON encodes v without escaping HTML characters and without the
// encoder's trailing newline; v is always encodable.
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
