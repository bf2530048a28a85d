package httpgw

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/errbridge/errbridge/translate"
	"google.golang.org/genproto/googleapis/rpc/code"
)

// maxErrorBodyBytes bounds the error body that [restErrors] buffers to
// rewrite. Errbridge's errors are a few hundred bytes; a larger one is
// passed on as it is.
const maxErrorBodyBytes = 1 << 20

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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ew := &restErrorWriter{ResponseWriter: w}
		next.ServeHTTP(ew, r)
		ew.finish()
	})
}

// restErrorWriter holds back a response with an error status, to rewrite
// it when the handler has finished.
type restErrorWriter struct {
	http.ResponseWriter
	wroteHeader bool
	status      int           // the error status held back; 0 while passing through
	body        *bytes.Buffer // the error body, while status is set
	overflow    bool          // the body grew past maxErrorBodyBytes and was passed on
}

// WriteHeader holds back an error status and passes any other on.
func (w *restErrorWriter) WriteHeader(status int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	if status >= 400 {
		w.status, w.body = status, new(bytes.Buffer)
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write buffers an error body and passes any other on.
func (w *restErrorWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.status == 0 || w.overflow {
		return w.ResponseWriter.Write(p)
	}
	if w.body.Len()+len(p) > maxErrorBodyBytes {
		w.overflow = true
		w.ResponseWriter.WriteHeader(w.status)
		if _, err := w.ResponseWriter.Write(w.body.Bytes()); err != nil {
			return 0, err
		}
		return w.ResponseWriter.Write(p)
	}
	return w.body.Write(p)
}

// Flush flushes a response that is passed through; an error body is
// written whole at the end.
func (w *restErrorWriter) Flush() {
	if w.status != 0 && !w.overflow {
		return
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *restErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish writes the held-back error in the AIP-193 form.
func (w *restErrorWriter) finish() {
	if w.status == 0 || w.overflow {
		return
	}
	out := aipError(w.status, w.ResponseWriter.Header().Get("Content-Type"), w.body.Bytes())
	h := w.ResponseWriter.Header()
	h.Del("Content-Encoding")
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(out)
}

// aipStatus is the "error" object of AIP-193.
type aipStatus struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Status  string          `json:"status"`
	Details json.RawMessage `json:"details,omitempty"`
}

// aipError turns an error body with the given HTTP status and content type
// into the AIP-193 JSON.
func aipError(httpStatus int, contentType string, body []byte) []byte {
	e := aipStatus{Code: httpStatus}
	var st struct {
		Code    *int32          `json:"code"`
		Message string          `json:"message"`
		Details json.RawMessage `json:"details"`
	}
	if strings.HasPrefix(contentType, "application/json") && json.Unmarshal(body, &st) == nil && st.Code != nil {
		e.Status, e.Message, e.Details = codeName(*st.Code), st.Message, st.Details
	} else {
		e.Status = codeName(int32(translate.CodeForHTTPStatus(httpStatus)))
		e.Message = strings.TrimSpace(string(body))
	}
	if e.Message == "" {
		e.Message = http.StatusText(httpStatus)
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
	return b.Bytes()
}

// codeName is the google.rpc.Code name of c, e.g. "INVALID_ARGUMENT".
func codeName(c int32) string {
	if name, ok := code.Code_name[c]; ok {
		return name
	}
	return code.Code_UNKNOWN.String()
}
