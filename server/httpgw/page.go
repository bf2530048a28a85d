package httpgw

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// pageFiles is the catalogue page: index.html and the assets it loads.
//
//go:embed page
var pageFiles embed.FS

// pageHeaders are set on every file of the page. The Content-Security-Policy
// lets the page load only its own files and call only its own origin, so a
// browser makes no request off the host.
var pageHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	"Cache-Control":          "no-cache",
}

// pageHandler serves what no RPC route matched: the page at / and its
// assets under /assets/, and 404 for anything else (under /v1/, a REST
// path that does not exist; restErrors gives it the AIP-193 form).
func pageHandler() http.Handler {
	files, err := fs.Sub(pageFiles, "page")
	if err != nil {
		panic(err) // the embedded tree always has page/
	}
	assets := http.FileServerFS(files)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		http.ServeFileFS(w, r, files, "index.html")
	})
	mux.HandleFunc("GET /assets/", func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		assets.ServeHTTP(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, restPrefix) {
			http.Error(w, "no REST method at "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		http.NotFound(w, r)
	})
	return mux
}

func setPageHeaders(w http.ResponseWriter) {
	for k, v := range pageHeaders {
		w.Header().Set(k, v)
	}
}
