package httpgw

import (
	"bytes"
	"net/http"
	"strconv"
)

// maxErrorBodyBytes bounds the error body that [rewriteErrors] buffers.
// Errbridge's errors are a few hundred bytes; a larger one is passed on as
// it is.
const maxErrorBodyBytes = 1 << 20

// rewriteErrors runs next and passes every response with an error status
// (400 and up) through rewrite, which gets the status and the whole body
// and returns the status and JSON body to send instead, or false to send
// the error as it was. Other responses pass through untouched, streamed as
// they are written.
func rewriteErrors(next http.Handler, rewrite rewriteFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ew := &errorWriter{ResponseWriter: w, rewrite: rewrite}
		next.ServeHTTP(ew, r)
		ew.finish()
	})
}

// rewriteFunc rewrites an error response; see [rewriteErrors].
type rewriteFunc func(status int, body []byte) (newStatus int, newBody []byte, ok bool)

// errorWriter holds back a response with an error status, to rewrite it
// when the handler has finished.
type errorWriter struct {
	http.ResponseWriter
	rewrite     rewriteFunc
	wroteHeader bool
	status      int           // the error status held back; 0 while passing through
	body        *bytes.Buffer // the error body, while status is set
	overflow    bool          // the body grew past maxErrorBodyBytes and was passed on
}

// WriteHeader holds back an error status and passes any other on.
func (w *errorWriter) WriteHeader(status int) {
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
func (w *errorWriter) Write(p []byte) (int, error) {
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
func (w *errorWriter) Flush() {
	if w.status != 0 && !w.overflow {
		return
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *errorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish writes the held-back error, rewritten.
func (w *errorWriter) finish() {
	if w.status == 0 || w.overflow {
		return
	}
	status, out, ok := w.rewrite(w.status, w.body.Bytes())
	if !ok {
		w.ResponseWriter.WriteHeader(w.status)
		_, _ = w.ResponseWriter.Write(w.body.Bytes())
		return
	}
	h := w.ResponseWriter.Header()
	// A request that vanguard could not decode comes back with the gRPC
	// response's headers and trailer announcements; none of them belong in
	// a JSON error.
	for _, k := range []string{"Content-Encoding", "Trailer", "Grpc-Status", "Grpc-Message", "Grpc-Status-Details-Bin"} {
		h.Del(k)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.ResponseWriter.WriteHeader(status)
	_, _ = w.ResponseWriter.Write(out)
}
