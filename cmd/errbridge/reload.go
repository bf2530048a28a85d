package main

import (
	"log/slog"

	"github.com/errbridge/errbridge/translate"
)

// engineSetter is what serve and proxy reload the engine of: a
// *server.Server or a *proxy.Proxy.
type engineSetter interface {
	SetTranslator(*translate.Translator) error
}

// reloadOverlay answers SIGHUP: it reads the catalogue overlay file anew,
// checks it, and makes it the catalogue of every call from now on (calls in
// flight finish on the catalogue they started with). A file that fails the
// checks changes nothing: the catalogue in use stays, and the log says why,
// naming the file, the entry and the field.
func reloadOverlay(logger *slog.Logger, srv engineSetter, e *engineFlags) {
	if e.catalogOverlay == "" {
		logger.Info("SIGHUP: no catalogue overlay to reload (--catalog-overlay is not set)")
		return
	}
	t, err := e.translator()
	if err == nil {
		err = srv.SetTranslator(t)
	}
	if err != nil {
		logger.Error("catalogue overlay reload failed: the catalogue in use stays",
			"file", e.catalogOverlay, "error", err.Error())
		return
	}
	logOverlay(logger, "catalogue overlay reloaded", t)
}

// logOverlay logs the overlay of t's catalogue: its file and how many codes
// it adds and replaces.
func logOverlay(logger *slog.Logger, msg string, t *translate.Translator) {
	file, added, replaced := t.Catalog().OverlayFile()
	logger.Info(msg, "file", file, "added", added, "replaced", replaced)
}
